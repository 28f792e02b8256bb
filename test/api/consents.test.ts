// Consent to the terms and to personal data (152-FZ): given separately, recorded with time and
// address, asked again when a text's version changes.
import { afterAll, describe, expect, it } from 'vitest';
import { query } from '../helpers/db';
import { call, errorOf, stack } from '../helpers/http';
import { login, uniqueEmail } from '../helpers/users';

const newAccount = (extra: Record<string, unknown> = {}) => ({
  email: uniqueEmail('consent'),
  password: 'long enough pw',
  fname: 'Анна',
  sname: 'Смирнова',
  phone: '+79991234567',
  ...extra,
});

async function currentVersions() {
  const legal = await call('GET', '/api/legal');
  expect(legal.status).toBe(200);
  return legal.body as { terms: { version: string; url: string }; personalData: { version: string; url: string } };
}

describe('GET /api/legal', () => {
  it('names the current version of each text and its page on the site', async () => {
    const legal = await currentVersions();
    expect(legal).toEqual({
      terms: { version: expect.any(String), url: `${stack.env.SITE_URL}/#/legal/terms` },
      personalData: { version: expect.any(String), url: `${stack.env.SITE_URL}/#/legal/personal-data` },
    });
  });
});

describe('consents at registration', () => {
  it('records both with time and address; GET /api/me then requires nothing', async () => {
    const legal = await currentVersions();
    const body = newAccount({ consents: { terms: legal.terms.version, personalData: legal.personalData.version } });
    const before = Date.now();
    const res = await call('POST', '/api/accounts', { body, headers: { 'user-agent': 'consent-test' } });
    expect(res.status, res.text).toBe(201);
    const person = await login(body.email, body.password, 'customer');
    expect((await person.get('/api/me')).body.consentRequired).toBe(false);
    const consents = (await person.get('/api/me/consents')).body.items;
    expect(consents).toHaveLength(2);
    expect(consents.map((c: { kind: string }) => c.kind).sort()).toEqual(['personalData', 'terms']);
    for (const c of consents) {
      expect(c).toEqual({
        kind: c.kind,
        version: legal[c.kind as 'terms'].version,
        at: expect.any(String),
        ip: expect.stringMatching(/\d|:/),
      });
      expect(new Date(c.at).getTime()).toBeGreaterThanOrEqual(before - 1000);
    }
    const stored = await query('primary', 'SELECT user_agent AS ua FROM consent WHERE account_id = ?', [res.body.id]);
    expect(stored.map((r) => r.ua)).toEqual(['consent-test', 'consent-test']);
  });

  it('takes one without the other, and a registration without any, both then required', async () => {
    const legal = await currentVersions();
    const termsOnly = newAccount({ consents: { terms: legal.terms.version } });
    expect((await call('POST', '/api/accounts', { body: termsOnly })).status).toBe(201);
    const person = await login(termsOnly.email, termsOnly.password, 'executor');
    expect((await person.get('/api/me')).body.consentRequired).toBe(true);
    expect((await person.get('/api/me/consents')).body.items.map((c: { kind: string }) => c.kind)).toEqual(['terms']);

    const none = newAccount();
    expect((await call('POST', '/api/accounts', { body: none })).status).toBe(201);
    expect((await (await login(none.email, none.password, 'customer')).get('/api/me')).body.consentRequired).toBe(true);
  });

  it('refuses a version that is not current, or an unknown field, and creates no account', async () => {
    const legal = await currentVersions();
    const stale = newAccount({ consents: { terms: '1999-01-01', personalData: legal.personalData.version } });
    const res = await call('POST', '/api/accounts', { body: stale });
    expect(errorOf(res)).toEqual({ status: 400, code: 'validation_failed' });
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toEqual(['consents.terms']);
    const unknown = await call('POST', '/api/accounts', {
      body: newAccount({ consents: { terms: legal.terms.version, marketing: 'yes' } }),
    });
    expect(errorOf(unknown)).toEqual({ status: 400, code: 'validation_failed' });
    expect(await query('primary', 'SELECT id FROM account WHERE email = ?', [stale.email])).toHaveLength(0);
  });
});

describe('POST /api/me/consents', () => {
  const published: string[] = [];
  afterAll(async () => {
    if (published.length > 0)
      await query('primary', "DELETE FROM legal_version WHERE kind = 'personalData' AND version IN (?)", [published]);
  });

  it('records a later consent, answers the list newest first, and is asked again when a version changes', async () => {
    const legal = await currentVersions();
    const body = newAccount();
    expect((await call('POST', '/api/accounts', { body })).status).toBe(201);
    const person = await login(body.email, body.password, 'customer');
    expect(errorOf(await person.post('/api/me/consents', {}))).toEqual({ status: 400, code: 'validation_failed' });
    expect(errorOf(await call('POST', '/api/me/consents', { body: { terms: legal.terms.version } }))).toEqual({
      status: 401,
      code: 'unauthenticated',
    });

    const first = await person.post('/api/me/consents', { terms: legal.terms.version });
    expect(first.status).toBe(200);
    expect(first.body.items.map((c: { kind: string }) => c.kind)).toEqual(['terms']);
    const both = await person.post('/api/me/consents', { personalData: legal.personalData.version });
    expect(both.body.items.map((c: { kind: string }) => c.kind)).toEqual(['personalData', 'terms']);
    expect((await person.get('/api/me')).body.consentRequired).toBe(false);

    // A new version of the policy is published: the consent is asked again, for that version only.
    const next = `t${Date.now().toString(36)}`;
    published.push(next);
    await query(
      'primary',
      "INSERT INTO legal_version (kind, version, url, published_at) VALUES ('personalData', ?, '/#/legal/personal-data', NOW(3))",
      [next],
    );
    expect((await currentVersions()).personalData.version).toBe(next);
    expect((await person.get('/api/me')).body.consentRequired).toBe(true);
    expect(errorOf(await person.post('/api/me/consents', { personalData: legal.personalData.version }))).toEqual({
      status: 400,
      code: 'validation_failed',
    });
    const again = await person.post('/api/me/consents', { personalData: next });
    expect(again.body.items[0]).toMatchObject({ kind: 'personalData', version: next });
    expect((await person.get('/api/me')).body.consentRequired).toBe(false);
  });
});
