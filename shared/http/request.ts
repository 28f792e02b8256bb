// Reading the parts of an HTTP API (payload 2.0) event: body with its size limit, client address.
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { isIP } from 'node:net';
import { config } from '../config';
import { badRequest, payloadTooLarge } from '../errors';

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
 * The client's address, from what can be trusted: the socket's peer (`sourceIp`), unless that peer
 * is a proxy the configuration names (TRUSTED_PROXIES: locally the site's), and then the
 * X-Forwarded-For entries such proxies appended, read from the right and no further. What a client
 * wrote into X-Forwarded-For itself is never reached. Behind CloudFront the peer is an edge server
 * of no fixed address, so the viewer is read from CLIENT_IP_HEADER (CloudFront-Viewer-Address,
 * `ip:port`), and only where the origin check (origin.ts) refuses whatever did not come through it.
 */
export function clientIp(event: APIGatewayProxyEventV2): string {
  const fromEdge = edgeClientIp(event.headers);
  if (fromEdge) return fromEdge;
  const forwarded = (event.headers['x-forwarded-for'] ?? '').split(',').map((entry) => entry.trim());
  let address = event.requestContext.http.sourceIp;
  while (config.TRUSTED_PROXIES.includes(address) && forwarded.length > 0) {
    const appended = forwarded.pop()!;
    if (isIP(appended) === 0) break;
    address = appended;
  }
  return address;
}

function edgeClientIp(headers: Record<string, string | undefined>): string | null {
  // Only with the origin check on (ORIGIN_SECRET_HEADER) has every request that gets this far come
  // through CloudFront, whose viewer-address header replaces any a client sent.
  if (!config.CLIENT_IP_HEADER || !config.ORIGIN_SECRET_HEADER) return null;
  // CloudFront writes `address:port`: `198.51.100.10:46532`, `2001:db8::1:46532` (or `[2001:db8::1]:46532`).
  const value = headers[config.CLIENT_IP_HEADER]?.trim() ?? '';
  const address = /^\[([^\]]+)\]:\d+$/.exec(value)?.[1] ?? value.replace(/:\d+$/, '');
  return isIP(address) ? address : null;
}
