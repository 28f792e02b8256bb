// Admin statistics read pre-aggregated histograms, so their cost does not grow with traffic; and a
// request still running near the function's time limit answers the contract's 503 itself, never
// the runtime's own body.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extraApi, stopExtraApis } from '../helpers/control';
import { query } from '../helpers/db';
import { call, errorOf } from '../helpers/http';
import { admin, uniqueEmail } from '../helpers/users';

describe('GET /api/admin/stats', () => {
  it('answers from hourly histograms: a million requests are a handful of rows, percentiles within 5 %', async () => {
    const route = `GET /load-${Date.now()}`;
    // 1,000,000 samples this hour: 50 % at ~2 ms, 45 % at ~20 ms, 4 % at ~200 ms, 1 % at ~2 s (bucket = ceil(log1.05(ms / 0.01))).
    const bucket = (ms: number) => Math.ceil(Math.log(ms / 0.01) / Math.log(1.05));
    await query(
      'primary',
      `INSERT INTO request_stat_bucket (hour_start, route, bucket, count) VALUES
      (UTC_TIMESTAMP() - INTERVAL MINUTE(UTC_TIMESTAMP()) MINUTE - INTERVAL SECOND(UTC_TIMESTAMP()) SECOND, ?, ?, 500000),
      (UTC_TIMESTAMP() - INTERVAL MINUTE(UTC_TIMESTAMP()) MINUTE - INTERVAL SECOND(UTC_TIMESTAMP()) SECOND, ?, ?, 450000),
      (UTC_TIMESTAMP() - INTERVAL MINUTE(UTC_TIMESTAMP()) MINUTE - INTERVAL SECOND(UTC_TIMESTAMP()) SECOND, ?, ?, 40000),
      (UTC_TIMESTAMP() - INTERVAL MINUTE(UTC_TIMESTAMP()) MINUTE - INTERVAL SECOND(UTC_TIMESTAMP()) SECOND, ?, ?, 10000),
      (UTC_TIMESTAMP() - INTERVAL 3 DAY, ?, ?, 777)`,
      [route, bucket(2), route, bucket(20), route, bucket(200), route, bucket(2000), route, bucket(5)],
    );
    const boss = await admin();
    const res = await boss.get('/api/admin/stats?hours=24');
    expect(res.status).toBe(200);
    const item = res.body.items.find((r: { route: string }) => r.route === route);
    expect(item.count).toBe(1_000_000);
    expect(item.p50).toBeGreaterThanOrEqual(2);
    expect(item.p50).toBeLessThanOrEqual(2 * 1.05);
    expect(item.p95).toBeGreaterThanOrEqual(20);
    expect(item.p95).toBeLessThanOrEqual(20 * 1.05);
    expect(item.p99).toBeGreaterThanOrEqual(200);
    expect(item.p99).toBeLessThanOrEqual(200 * 1.05);
    // A longer window takes in the older hour too.
    const week = await boss.get('/api/admin/stats?hours=96');
    expect(week.body.items.find((r: { route: string }) => r.route === route).count).toBe(1_000_777);
  });
});

describe('a request near the time limit', () => {
  let slowApi: string;

  beforeAll(async () => {
    // 100 ms of the function's 10 s for the handler, and a password hash that takes far longer.
    slowApi = await extraApi({ HANDLER_TIMEOUT_MARGIN_MS: '9900', BCRYPT_ROUNDS: '14' });
  }, 600_000);

  afterAll(async () => {
    await stopExtraApis();
  });

  it('answers 503 unavailable with the contract body, a request id and Retry-After, and no stack', async () => {
    const res = await call('POST', '/api/accounts', {
      base: slowApi,
      body: { email: uniqueEmail('slow'), password: 'a slow password', fname: 'Медленный', sname: 'Хэш', phone: '+79990001122' },
    });
    expect(errorOf(res)).toEqual({ status: 503, code: 'unavailable' });
    expect(Object.keys(res.body)).toEqual(['error']);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('x-request-id')).toBeTruthy();
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(res.text).not.toMatch(/errorMessage|stack|\.ts:\d+|at \w+ \(/);
  });
});
