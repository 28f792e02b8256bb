// CORS: the site's origin only, never credentials (serverless-offline's default answered any
// Origin with credentials). API Gateway's side is checked in test/infra/package.test.ts.
import { describe, expect, it } from 'vitest';
import { call, stack } from '../helpers/http';

const FOREIGN = 'https://evil.example';
const SITE = stack.env.SITE_URL!;

const preflight = (origin: string) =>
  call('OPTIONS', '/api/me', {
    headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
  });

describe('CORS on the API', () => {
  it('answers a preflight from another origin without allowing it', async () => {
    const res = await preflight(FOREIGN);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('gives a GET from another origin no CORS headers, so its page cannot read the answer', async () => {
    const res = await call('GET', '/api/categories', { headers: { origin: FOREIGN } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it("allows the site's own origin, without credentials", async () => {
    const pre = await preflight(SITE);
    expect(pre.headers.get('access-control-allow-origin')).toBe(SITE);
    expect(pre.headers.get('access-control-allow-credentials')).not.toBe('true');
    expect(pre.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
    const res = await call('GET', '/api/categories', { headers: { origin: SITE } });
    expect(res.headers.get('access-control-allow-origin')).toBe(SITE);
    expect(res.headers.get('access-control-allow-credentials')).not.toBe('true');
  });
});
