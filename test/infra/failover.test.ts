// Real servers stopped and started under the API: the routing must fail over and recover.
import { describe, expect, it } from 'vitest';
import { without } from '../helpers/control';
import { eventually, query } from '../helpers/db';
import { call, errorOf } from '../helpers/http';
import { register, uniqueEmail } from '../helpers/users';

const newAccount = () => ({ email: uniqueEmail('failover'), password: 'long enough pw', fname: 'A', sname: 'B', phone: '+79990000000' });

describe('MySQL routing and failover', () => {
  it('replicates a row written through the API to the replica', async () => {
    const person = await register();
    const rows = await eventually(async () => {
      const found = await query('replica', 'SELECT email FROM account WHERE id = ?', [person.id]);
      expect(found).toHaveLength(1);
      return found;
    });
    expect(rows[0].email).toBe(person.email);
  });

  it('keeps reading and writing on the primary while the replica is down', async () => {
    const person = await register();
    await without('replica', async () => {
      expect((await person.get('/api/me')).status).toBe(200);
      expect((await call('POST', '/api/accounts', { body: newAccount() })).status).toBe(201);
      const health = await call('GET', '/api/health');
      expect(health.body).toMatchObject({ ok: false, primary: true, replica: false });
    });
    await eventually(async () => expect((await call('GET', '/api/health')).body.replica).toBe(true));
  });

  it('reads from the replica and answers writes 503 while the primary is down, then recovers', async () => {
    const person = await register();
    await eventually(async () =>
      expect(await query('replica', 'SELECT id FROM session WHERE account_id = ?', [person.id])).toHaveLength(1),
    );
    const refused = newAccount();
    await without('primary', async () => {
      const me = await person.get('/api/me');
      expect(me.status, me.text).toBe(200);
      expect(me.body.email).toBe(person.email);
      const write = await call('POST', '/api/accounts', { body: refused });
      expect(errorOf(write)).toEqual({ status: 503, code: 'unavailable' });
      expect(Number(write.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await call('GET', '/api/health')).body).toMatchObject({ ok: false, primary: false, replica: true });
    });
    const accepted = newAccount();
    await eventually(async () => expect((await call('POST', '/api/accounts', { body: accepted })).status).toBe(201), 15_000, 250);
    expect(await query('primary', 'SELECT id FROM account WHERE email = ?', [refused.email])).toHaveLength(0);
    await eventually(async () =>
      expect(await query('replica', 'SELECT id FROM account WHERE email = ?', [accepted.email])).toHaveLength(1),
    );
  });

  it('keeps serving, without limits or cache, while both memcached are down', async () => {
    const person = await register();
    await without('memcached1', () =>
      without('memcached2', async () => {
        expect((await person.get('/api/me')).status).toBe(200);
        expect((await call('POST', '/api/accounts', { body: newAccount() })).status).toBe(201);
        expect((await call('GET', '/api/health')).body.cache).toBe(false);
      }),
    );
    await eventually(async () => expect((await call('GET', '/api/health')).body.cache).toBe(true), 15_000, 250);
  });
});
