// The client's address is the socket's peer unless a proxy of ours forwarded the request, so a
// client cannot pick its own rate-limit bucket by writing X-Forwarded-For; and guessing bearer
// tokens is limited per address like everything else.
import { describe, expect, it } from 'vitest';
import { without } from '../helpers/control';
import { query } from '../helpers/db';
import { callFrom } from '../helpers/from-address';
import { call, errorOf, stack } from '../helpers/http';
import { register } from '../helpers/users';

const api = stack.urls.api;
// The stack's API runs with the default limit (shared/config.ts); each test guesses from an address of its own.
const AUTH_FAILURES_PER_MINUTE = 30;

/** The address the API recorded for a login made with these headers, from this local address. */
async function loginAddress(base: string, from: string, headers: Record<string, string>): Promise<string> {
  const person = await register('customer');
  const res = await callFrom(from, 'POST', `${base}/api/sessions`, {
    headers,
    body: { email: person.email, password: person.password, role: 'customer' },
  });
  expect(res.status, res.text).toBe(201);
  expect(res.body.session.ip).toBe((await query('primary', 'SELECT ip FROM session WHERE id = ?', [res.body.session.id]))[0].ip);
  return res.body.session.ip;
}

/** Waits for a fresh minute when fewer than `seconds` are left of this one (per-minute counters). */
async function roomInMinute(seconds: number): Promise<void> {
  const second = new Date().getUTCSeconds();
  if (second > 60 - seconds) await new Promise((r) => setTimeout(r, (61 - second) * 1000));
}

describe('the client address', () => {
  it('is the peer of a direct call, whatever X-Forwarded-For says', async () => {
    expect(await loginAddress(api, '127.0.0.22', { 'x-forwarded-for': '203.0.113.5' })).toBe('127.0.0.22');
  });

  it('is the real peer behind the site proxy, not what the client wrote before it', async () => {
    expect(await loginAddress(stack.urls.site, '127.0.0.23', { 'x-forwarded-for': '203.0.113.6' })).toBe('127.0.0.23');
  });

  it('ignores a CloudFront-Viewer-Address header the API was not told to believe', async () => {
    expect(await loginAddress(api, '127.0.0.24', { 'cloudfront-viewer-address': '198.51.100.77:51234', 'x-edge-secret': 'a guess' })).toBe(
      '127.0.0.24',
    );
  });
});

describe('failed authentications', () => {
  const guess = (from: string, token = `guess-${Math.random()}`) =>
    callFrom(from, 'GET', `${api}/api/me`, { headers: { authorization: `Bearer ${token}` } });

  it('are counted per address: beyond the limit an unknown token, and then any token, is 429 for the minute', async () => {
    await roomInMinute(25);
    const person = await register('customer');
    const answers = [];
    for (let i = 0; i < AUTH_FAILURES_PER_MINUTE + 2; i++) answers.push(await guess('127.0.0.31'));
    expect(answers.map((a) => a.status)).toEqual([...Array(AUTH_FAILURES_PER_MINUTE).fill(401), 429, 429]);
    const limited = answers[AUTH_FAILURES_PER_MINUTE]!;
    expect(errorOf(limited)).toEqual({ status: 429, code: 'rate_limited' });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    // A right guess now looks exactly like a wrong one.
    expect((await guess('127.0.0.31', person.token)).status).toBe(429);
    // Another address is not affected, nor a request without a token.
    expect((await guess('127.0.0.32')).status).toBe(401);
    expect((await guess('127.0.0.32', person.token)).status).toBe(200);
    expect((await callFrom('127.0.0.31', 'GET', `${api}/api/categories`)).status).toBe(200);
  }, 120_000);

  it('keep being answered 401, and valid tokens 200, while memcached is down', async () => {
    const person = await register('customer');
    await without('memcached1', () =>
      without('memcached2', async () => {
        const answers = [];
        for (let i = 0; i < 5; i++) answers.push(await guess('127.0.0.33'));
        expect(answers.map((a) => a.status)).toEqual([401, 401, 401, 401, 401]);
        expect((await guess('127.0.0.33', person.token)).status).toBe(200);
      }),
    );
  }, 180_000);
});

describe('a refused Robokassa callback', () => {
  it('writes at most 2 KiB of its form to the error log', async () => {
    const form = new URLSearchParams({ OutSum: '1.000000', InvId: '1999999998', SignatureValue: 'x' });
    for (let i = 0; i < 20; i++) form.set(`Shp_field${i}`, 'x'.repeat(2000));
    const res = await call('POST', '/api/robokassa/result', {
      body: form.toString(),
      raw: true,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(400);
    const [logged] = await query<{ size: number }>('primary', 'SELECT LENGTH(detail) AS size FROM error_log WHERE request_id = ?', [
      res.headers.get('x-request-id'),
    ]);
    expect(logged).toBeDefined();
    expect(Number(logged!.size)).toBeLessThanOrEqual(2048);
  });
});
