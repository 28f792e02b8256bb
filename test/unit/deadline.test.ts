// A handler that would outlive the function answers the contract's 503 itself, in time.
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';

type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;
let slow: Handler;
let fast: Handler;

beforeAll(async () => {
  // No cache to count in (limits off), and a margin that leaves the handler 300 ms of a 1.3 s limit.
  Object.assign(process.env, { RATE_LIMIT_PER_SECOND: '0', RATE_LIMIT_PER_MINUTE: '0', HANDLER_TIMEOUT_MARGIN_MS: '1000' });
  const { httpHandler } = await import('../../shared/http/handler');
  slow = httpHandler({ access: 'anyone' }, () => new Promise(() => {})) as unknown as Handler;
  fast = httpHandler({ access: 'anyone' }, () => Promise.resolve({ status: 200, body: { ok: true } })) as unknown as Handler;
});

const event = {
  headers: {},
  rawPath: '/api/slow',
  routeKey: 'GET /api/slow',
  requestContext: { http: { method: 'GET', sourceIp: '127.0.0.1' } },
} as unknown as APIGatewayProxyEventV2;
const contextWith = (limitMs: number): Context => {
  const until = Date.now() + limitMs;
  return { getRemainingTimeInMillis: () => Math.max(0, until - Date.now()) } as unknown as Context;
};

describe('a request near the time limit', () => {
  it('answers 503 unavailable with the contract body, its request id and Retry-After', async () => {
    const res = await slow(event, contextWith(1300));
    expect(res.statusCode).toBe(503);
    expect(JSON.parse(res.body!)).toEqual({ error: { code: 'unavailable', message: expect.any(String) } });
    expect(res.headers).toMatchObject({
      'Content-Type': expect.stringMatching(/^application\/json/),
      'Retry-After': '1',
      'X-Request-Id': expect.any(String),
    });
  });

  it('leaves a request that finishes in time alone', async () => {
    const res = await fast(event, contextWith(1300));
    expect(res.statusCode).toBe(200);
  });
});
