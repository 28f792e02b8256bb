import { describe, expect, it } from 'vitest';
import { call, errorOf } from '../helpers/http';
import { query } from '../helpers/db';
import { admin, login, register, uniqueEmail } from '../helpers/users';

const valid = () => ({ email: uniqueEmail(), password: 'long enough pw', fname: 'Анна', sname: 'Смирнова', phone: '+79991234567' });

describe('POST /api/accounts', () => {
  it('creates an account and answers its public fields', async () => {
    const body = valid();
    const res = await call('POST', '/api/accounts', { body });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: expect.any(Number), email: body.email, fname: 'Анна', sname: 'Смирнова', phone: '+79991234567' });
    expect(res.headers.get('x-request-id')).toBeTruthy();
  });

  it('refuses a taken email, whatever its case, with 409 email_taken', async () => {
    const body = valid();
    expect((await call('POST', '/api/accounts', { body })).status).toBe(201);
    const again = await call('POST', '/api/accounts', { body: { ...body, email: body.email.toUpperCase() } });
    expect(errorOf(again)).toEqual({ status: 409, code: 'email_taken' });
  });

  it.each([
    ['a short password', { password: 'short' }, 'password'],
    ['a bad phone', { phone: '89991234567' }, 'phone'],
    ['a bad email', { email: "x' OR '1'='1" }, 'email'],
    ['a long first name', { fname: 'x'.repeat(31) }, 'fname'],
    ['an empty surname', { sname: '   ' }, 'sname'],
    ['a number for a name', { fname: 12345 }, 'fname'],
    ['a NUL byte', { fname: 'An\u0000na' }, 'fname'],
    ['an unknown field', { isAdmin: true }, 'isAdmin'],
  ])('answers 400 validation_failed with details for %s', async (_, change, path) => {
    const res = await call('POST', '/api/accounts', { body: { ...valid(), ...change } });
    expect(errorOf(res)).toEqual({ status: 400, code: 'validation_failed' });
    expect(res.body.error.message).toEqual(expect.any(String));
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
  });

  it('answers 400 bad_request to malformed JSON and to a wrong content type', async () => {
    expect(errorOf(await call('POST', '/api/accounts', { body: '{"email": ', raw: true }))).toEqual({ status: 400, code: 'bad_request' });
    const form = await call('POST', '/api/accounts', { body: 'email=a', raw: true, headers: { 'content-type': 'text/plain' } });
    expect(errorOf(form)).toEqual({ status: 400, code: 'bad_request' });
  });

  it('answers 413 payload_too_large to a 70 KB body and stores nothing', async () => {
    const body = { ...valid(), fname: 'x'.repeat(70 * 1024) };
    expect(errorOf(await call('POST', '/api/accounts', { body }))).toEqual({ status: 413, code: 'payload_too_large' });
    expect(await query('primary', 'SELECT id FROM account WHERE email = ?', [body.email])).toHaveLength(0);
  });

  it('stores SQL metacharacters as plain text', async () => {
    const res = await call('POST', '/api/accounts', { body: { ...valid(), fname: "O'Hara'); DROP TABLE x;--" } });
    expect(res.status).toBe(201);
    const [row] = await query('primary', 'SELECT fname FROM account WHERE id = ?', [res.body.id]);
    expect(row.fname).toBe("O'Hara'); DROP TABLE x;--");
  });

  it('answers 400 to huge numbers and wrong types, never 5xx', async () => {
    for (const body of [{ ...valid(), phone: 1e308 }, [1, 2, 3], null, { ...valid(), email: { $gt: '' } }]) {
      const res = await call('POST', '/api/accounts', { body });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    }
  });
});

describe('POST /api/sessions', () => {
  it('logs in with a role and answers token, session and account', async () => {
    const body = valid();
    await call('POST', '/api/accounts', { body });
    const res = await call('POST', '/api/sessions', {
      body: { email: body.email, password: body.password, role: 'executor' },
      headers: { 'user-agent': 'vitest' },
    });
    expect(res.status).toBe(201);
    expect(res.body.token).toMatch(/^[\w-]{40,}$/);
    expect(res.body.session).toMatchObject({ id: expect.any(Number), role: 'executor', userAgent: 'vitest', current: true });
    expect(res.body.account).toMatchObject({ email: body.email, fname: 'Анна' });
  });

  it('gives the same 401 invalid_credentials for a wrong password and an unknown email', async () => {
    const person = await register();
    const wrongPassword = await call('POST', '/api/sessions', {
      body: { email: person.email, password: 'not the password', role: 'customer' },
    });
    const unknown = await call('POST', '/api/sessions', { body: { email: uniqueEmail(), password: 'whatever1', role: 'customer' } });
    expect(errorOf(wrongPassword)).toEqual({ status: 401, code: 'invalid_credentials' });
    expect(unknown.body).toEqual(wrongPassword.body);
  });

  it('lets only admin accounts log in as admin', async () => {
    const person = await register();
    const res = await call('POST', '/api/sessions', { body: { email: person.email, password: person.password, role: 'admin' } });
    expect(errorOf(res)).toEqual({ status: 403, code: 'forbidden' });
    expect((await admin()).role).toBe('admin');
  });
});

describe('GET /api/me', () => {
  it('shows the account, the session role and both money pairs', async () => {
    const person = await register('executor');
    const res = await person.get('/api/me');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      id: person.id,
      email: person.email,
      fname: 'Иван',
      sname: 'Петров',
      phone: '+79990001122',
      role: 'executor',
      balance: '0.00',
      balanceHeld: '0.00',
      salary: '0.00',
      salaryHeld: '0.00',
      consentRequired: true,
      blocked: null,
    });
  });

  it('answers 401 unauthenticated without a token or with an unknown one', async () => {
    expect(errorOf(await call('GET', '/api/me'))).toEqual({ status: 401, code: 'unauthenticated' });
    expect(errorOf(await call('GET', '/api/me', { token: 'made-up-token' }))).toEqual({ status: 401, code: 'unauthenticated' });
  });
});

describe('sessions', () => {
  it("lists the caller's live sessions with the current one marked, most recently active first", async () => {
    const first = await register();
    const second = await first.as('executor');
    const res = await second.get('/api/sessions');
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(2);
    expect(res.body.items[0]).toMatchObject({ role: 'executor', current: true });
    expect(res.body.items[1]).toMatchObject({ role: 'customer', current: false });
    for (const item of res.body.items)
      expect(Object.keys(item).sort()).toEqual(['createdAt', 'current', 'id', 'ip', 'lastActiveAt', 'role', 'userAgent']);
  });

  it('revokes another session of mine, and that token stops working at once', async () => {
    const first = await register();
    const second = await first.as('customer');
    const [other] = (await second.get('/api/sessions')).body.items.filter((s: { current: boolean }) => !s.current);
    expect((await second.del(`/api/sessions/${other.id}`)).status).toBe(204);
    expect(errorOf(await first.get('/api/me'))).toEqual({ status: 401, code: 'unauthenticated' });
    expect((await second.get('/api/me')).status).toBe(200);
  });

  it('answers 404 for a session of another account and leaves it alone', async () => {
    const mine = await register();
    const theirs = await register();
    const [theirSession] = (await theirs.get('/api/sessions')).body.items;
    expect(errorOf(await mine.del(`/api/sessions/${theirSession.id}`))).toEqual({ status: 404, code: 'not_found' });
    expect((await theirs.get('/api/me')).status).toBe(200);
  });

  it('logs out with DELETE /api/sessions/current', async () => {
    const person = await register();
    expect((await person.del('/api/sessions/current')).status).toBe(204);
    expect(errorOf(await person.get('/api/me'))).toEqual({ status: 401, code: 'unauthenticated' });
  });

  it('rejects a path id that is not a positive integer with 400', async () => {
    const person = await register();
    expect(errorOf(await person.del('/api/sessions/abc'))).toEqual({ status: 400, code: 'validation_failed' });
    expect(errorOf(await person.del('/api/sessions/-1'))).toEqual({ status: 400, code: 'validation_failed' });
  });
});

describe('PUT /api/me/password', () => {
  it('refuses a wrong current password', async () => {
    const person = await register();
    const res = await person.put('/api/me/password', { currentPassword: 'not it at all', newPassword: 'a new password' });
    expect(errorOf(res)).toEqual({ status: 401, code: 'invalid_credentials' });
  });

  it('changes the password and revokes every other session', async () => {
    const person = await register();
    const other = await person.as('executor');
    expect((await person.put('/api/me/password', { currentPassword: person.password, newPassword: 'a brand new password' })).status).toBe(
      204,
    );
    expect((await person.get('/api/me')).status).toBe(200);
    expect(errorOf(await other.get('/api/me'))).toEqual({ status: 401, code: 'unauthenticated' });
    await expect(login(person.email, person.password, 'customer')).rejects.toThrow(/401/);
    expect((await login(person.email, 'a brand new password', 'customer')).token).toBeTruthy();
  });
});

describe('secrets at rest', () => {
  it('keeps no clear password or token in the database', async () => {
    const person = await register();
    const [account] = await query('primary', 'SELECT * FROM account WHERE id = ?', [person.id]);
    expect(JSON.stringify(account)).not.toContain(person.password);
    expect(account.password_hash).toMatch(/^\$2[aby]\$/);
    const sessions = await query('primary', 'SELECT * FROM session WHERE account_id = ?', [person.id]);
    expect(sessions).toHaveLength(1);
    const stored = JSON.stringify(
      sessions.map((s) => ({
        ...s,
        token_hash: s.token_hash.toString('latin1'),
        hex: s.token_hash.toString('hex'),
        b64: s.token_hash.toString('base64url'),
      })),
    );
    expect(stored).not.toContain(person.token);
  });
});
