import { describe, expect, it } from 'vitest';
import { eventually, query } from '../helpers/db';
import { call, errorOf } from '../helpers/http';
import { admin, register } from '../helpers/users';

describe('GET /api/health', () => {
  it('reports primary, replica, lag and cache up', async () => {
    const res = await call('GET', '/api/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true, primary: true, replica: true, replicaLagSeconds: expect.any(Number), cache: true });
  });
});

describe('admin statistics and error log', () => {
  it('keeps route timings and answers p50 <= p95 <= p99 per route', async () => {
    const boss = await admin();
    for (let i = 0; i < 5; i++) await call('GET', '/api/health');
    const route = await eventually(async () => {
      // Samples are written in batches about once a second, so ask until the batch has landed.
      await call('GET', '/api/health');
      const res = await boss.get('/api/admin/stats?hours=1');
      expect(res.status).toBe(200);
      const found = res.body.items.find((r: { route: string }) => r.route === 'GET /api/health');
      expect(found?.count).toBeGreaterThanOrEqual(5);
      return found;
    });
    expect(route.p50).toBeLessThanOrEqual(route.p95);
    expect(route.p95).toBeLessThanOrEqual(route.p99);
  });

  it('is for admins only', async () => {
    const person = await register();
    expect(errorOf(await person.get('/api/admin/stats'))).toEqual({ status: 403, code: 'forbidden' });
    expect(errorOf(await call('GET', '/api/admin/errors'))).toEqual({ status: 401, code: 'unauthenticated' });
    expect(errorOf(await (await admin()).get('/api/admin/stats?hours=0'))).toEqual({ status: 400, code: 'validation_failed' });
  });

  it('answers a bug with 500 internal and a request id, logs it, and shows no stack', async () => {
    const boss = await admin();
    // A table that vanishes under the API is a fault no input can cause: the honest way to make a 500.
    await query('primary', 'RENAME TABLE payout TO payout_away');
    let res;
    try {
      res = await boss.get('/api/admin/ledger/check');
    } finally {
      await query('primary', 'RENAME TABLE payout_away TO payout');
    }
    expect(errorOf(res)).toEqual({ status: 500, code: 'internal' });
    expect(res.text).not.toMatch(/at \w+ \(|\.ts:\d+|ER_NO_SUCH_TABLE|payout_away/);
    const requestId = res.headers.get('x-request-id');
    const logged = await eventually(async () => {
      const list = await boss.get('/api/admin/errors?limit=5');
      const item = list.body.items.find((e: { requestId: string }) => e.requestId === requestId);
      expect(item).toBeDefined();
      return item;
    });
    expect(logged).toMatchObject({ route: 'GET /api/admin/ledger/check', message: expect.stringContaining('payout') });
  });
});
