// Reading the parts of an HTTP API (payload 2.0) event: body with its size limit, client address.
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { badRequest, payloadTooLarge } from './errors';

export const MAX_BODY_BYTES = 64 * 1024;

export function rawBody(event: APIGatewayProxyEventV2): string | undefined {
  if (event.body === undefined || event.body === null || event.body === '') return undefined;
  const bytes = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
  if (bytes.length > MAX_BODY_BYTES) throw payloadTooLarge();
  return bytes.toString('utf8');
}

/** The body as JSON, or as form fields (Robokassa); undefined when there is none. */
export function parseBody(event: APIGatewayProxyEventV2, kind: 'json' | 'form'): unknown {
  const text = rawBody(event);
  if (text === undefined) return undefined;
  const type = (event.headers['content-type'] ?? '').toLowerCase();
  if (kind === 'form') {
    if (!type.startsWith('application/x-www-form-urlencoded')) throw badRequest('Expected a form-encoded body');
    return Object.fromEntries(new URLSearchParams(text));
  }
  if (!type.startsWith('application/json')) throw badRequest('Expected Content-Type application/json');
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest('The body is not valid JSON');
  }
}

/**
 * The client's address. Behind the site's proxy (CloudFront in AWS) the last X-Forwarded-For
 * entry is the one our own edge appended; anything before it was written by the client.
 */
export function clientIp(event: APIGatewayProxyEventV2): string {
  const forwarded = event.headers['x-forwarded-for'];
  const last = forwarded?.split(',').pop()?.trim();
  return last || event.requestContext.http.sourceIp;
}
