// Rate limits need an API with low limits: the shared test API runs with high ones so that
// the rest of the suite is never throttled.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extraApi, stopExtraApis } from '../helpers/control';
import { callFrom } from '../helpers/from-address';
import { call, errorOf } from '../helpers/http';
import { register } from '../helpers/users';

let perSecondApi: string;
let perMinuteApi: string;

beforeAll(async () => {
  perSecondApi = await extraApi({ RATE_LIMIT_PER_SECOND: '3', RATE_LIMIT_PER_MINUTE: '0', RATE_LIMIT_KEY_PREFIX: 'rl-second' });
  perMinuteApi = await extraApi({ RATE_LIMIT_PER_SECOND: '0', RATE_LIMIT_PER_MINUTE: '4', RATE_LIMIT_KEY_PREFIX: 'rl-minute' });
}, 120_000);

afterAll(async () => {
  await stopExtraApis();
});

describe('rate limiting', () => {
  it('answers 429 rate_limited with Retry-After over the per-second limit, per session', async () => {
    const busy = await register();
    const quiet = await register();
    const burst = await Promise.all(Array.from({ length: 10 }, () => busy.get('/api/me', { base: perSecondApi })));
    const limited = burst.filter((r) => r.status === 429);
    expect(burst.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(1);
    expect(limited.length).toBeGreaterThanOrEqual(4);
    expect(errorOf(limited[0]!)).toEqual({ status: 429, code: 'rate_limited' });
    expect(Number(limited[0]!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // Another client under its limit is not affected by the busy one.
    expect((await quiet.get('/api/me', { base: perSecondApi })).status).toBe(200);
  });

  it('counts the minute separately, with Retry-After up to the end of the minute', async () => {
    const person = await register();
    // Six requests must fall in one minute window; near its end, wait for the next one.
    const second = new Date().getUTCSeconds();
    if (second >= 55) await new Promise((r) => setTimeout(r, (61 - second) * 1000));
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push(await person.get('/api/me', { base: perMinuteApi }));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(4);
    const limited = answers.find((a) => a.status === 429)!;
    expect(limited).toBeDefined();
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
  });

  it('gives the Robokassa callback its own, higher limit', async () => {
    const form = new URLSearchParams({ OutSum: '1.000000', InvId: '1999999999', SignatureValue: 'x' }).toString();
    const burst = await Promise.all(
      Array.from({ length: 8 }, () =>
        call('POST', '/api/robokassa/result', {
          base: perSecondApi,
          body: form,
          raw: true,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        }),
      ),
    );
    // Refused for the bad signature, every one of them: none was throttled at the API's 3 a second.
    expect(burst.map((r) => r.status)).toEqual(Array(8).fill(400));
  });

  it('takes the address from the connection, so rotating X-Forwarded-For does not escape the limit', async () => {
    const burst = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        callFrom('127.0.0.9', 'GET', `${perSecondApi}/api/categories`, { headers: { 'x-forwarded-for': `198.51.100.${i + 1}` } }),
      ),
    );
    expect(burst.filter((r) => r.status === 429).length).toBeGreaterThanOrEqual(5);
  });

  it('limits anonymous clients by address', async () => {
    const burst = await Promise.all(Array.from({ length: 8 }, () => callFrom('127.0.0.7', 'GET', `${perSecondApi}/api/categories`)));
    expect(burst.some((r) => r.status === 429)).toBe(true);
    const other = await callFrom('127.0.0.8', 'GET', `${perSecondApi}/api/categories`);
    expect(other.status).toBe(200);
  });
});
