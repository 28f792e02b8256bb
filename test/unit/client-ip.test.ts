// Which address the API believes, as pure code: the configuration is read at import, so it is set first.
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';

let clientIp: (event: APIGatewayProxyEventV2) => string;

beforeAll(async () => {
  Object.assign(process.env, {
    TRUSTED_PROXIES: '127.0.0.2, 10.0.0.5',
    CLIENT_IP_HEADER: 'CloudFront-Viewer-Address',
    ORIGIN_SECRET_HEADER: 'x-origin-secret',
  });
  ({ clientIp } = await import('../../shared/http/request'));
});

const event = (sourceIp: string, headers: Record<string, string> = {}) =>
  ({ headers, requestContext: { http: { sourceIp } } }) as unknown as APIGatewayProxyEventV2;

describe('the client address', () => {
  it('is the peer, whatever X-Forwarded-For a client wrote', () => {
    expect(clientIp(event('127.0.0.1', { 'x-forwarded-for': '198.51.100.1' }))).toBe('127.0.0.1');
    expect(clientIp(event('203.0.113.9'))).toBe('203.0.113.9');
  });

  it('behind trusted proxies is the entry the outermost of them appended, and nothing the client wrote', () => {
    expect(clientIp(event('127.0.0.2', { 'x-forwarded-for': '198.51.100.1, 203.0.113.4' }))).toBe('203.0.113.4');
    expect(clientIp(event('127.0.0.2', { 'x-forwarded-for': '198.51.100.1, 203.0.113.4, 10.0.0.5' }))).toBe('203.0.113.4');
    expect(clientIp(event('127.0.0.2', { 'x-forwarded-for': 'garbage' }))).toBe('127.0.0.2');
    expect(clientIp(event('127.0.0.2'))).toBe('127.0.0.2');
  });

  it("is CloudFront's viewer address where the origin check lets only CloudFront through", () => {
    expect(clientIp(event('52.1.2.3', { 'cloudfront-viewer-address': '198.51.100.10:46532' }))).toBe('198.51.100.10');
    expect(clientIp(event('52.1.2.3', { 'cloudfront-viewer-address': '2001:db8::1:443' }))).toBe('2001:db8::1');
    expect(clientIp(event('52.1.2.3', { 'cloudfront-viewer-address': '[2001:db8::2]:443' }))).toBe('2001:db8::2');
    expect(clientIp(event('52.1.2.3', { 'cloudfront-viewer-address': 'nonsense' }))).toBe('52.1.2.3');
    expect(clientIp(event('52.1.2.3'))).toBe('52.1.2.3');
  });
});
