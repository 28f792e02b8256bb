import { describe, expect, it } from 'vitest';
import { eventually, query } from '../helpers/db';
import { call, errorOf, stack } from '../helpers/http';
import { allDelivered, jobsOf, mailsTo, newChatId, outboxIdOf, rawHeader, setChannels, theMail } from '../helpers/notifications';
import { login, register, uniqueEmail } from '../helpers/users';

const requestReset = (email: string) => call('POST', '/api/password-resets', { body: { email } });
const confirmReset = (token: string, password: string) => call('POST', '/api/password-resets/confirm', { body: { token, password } });

/** The token of the link in the one reset e-mail to `email`. */
async function mailedToken(email: string): Promise<string> {
  const mail = await theMail(email, 'Восстановление пароля');
  const link = /(http\S+#\/password-reset)\b/.exec(mail.text);
  expect(link, mail.text).not.toBeNull();
  // A real query parameter: a standard URL parser finds the token.
  const url = new URL(link![1]!);
  expect(`${url.origin}${url.pathname}`).toBe(`${stack.env.SITE_URL}/`);
  expect(url.hash).toBe('#/password-reset');
  expect(mail.html).toContain(link![1]!.replace(/&/g, '&#38;'));
  // Automated, but asked for: nothing to unsubscribe from.
  expect(mail.headers['auto-submitted']).toBe('auto-generated');
  expect(await rawHeader(mail, 'List-Unsubscribe')).toBeUndefined();
  return url.searchParams.get('token')!;
}

describe('password reset', () => {
  it('mails a one-time link; the new password works, the old one and every session do not, and the link is spent', async () => {
    const person = await register('customer');
    const otherSession = await person.as('executor');
    expect((await requestReset(person.email)).status).toBe(202);
    const token = await mailedToken(person.email);
    // Only the hash is stored, and no event carries the token.
    const stored = await query<{ tokenHash: Buffer }>(
      'primary',
      'SELECT r.token_hash AS tokenHash FROM password_reset r WHERE r.account_id = ?',
      [person.id],
    );
    expect(stored).toHaveLength(1);
    expect(stored[0]!.tokenHash.toString('base64url')).not.toBe(token);
    expect(await query('primary', 'SELECT id FROM outbox WHERE payload LIKE ?', [`%${token}%`])).toEqual([]);

    expect((await confirmReset(token, 'a brand new password')).status).toBe(204);
    expect((await person.get('/api/me')).status).toBe(401);
    expect((await otherSession.get('/api/me')).status).toBe(401);
    await expect(login(person.email, person.password, 'customer')).rejects.toThrow(/401/);
    expect((await (await login(person.email, 'a brand new password', 'customer')).get('/api/me')).status).toBe(200);

    const reused = await confirmReset(token, 'yet another password');
    expect(errorOf(reused)).toEqual({ status: 400, code: 'validation_failed' });
    expect(reused.body.error.details).toEqual([{ path: 'token', message: expect.any(String) }]);
    await login(person.email, 'a brand new password', 'customer');
  });

  it('refuses an expired link and a made-up one', async () => {
    const person = await register('customer');
    expect((await requestReset(person.email)).status).toBe(202);
    const token = await mailedToken(person.email);
    await query('primary', 'UPDATE password_reset SET expires_at = NOW(3) - INTERVAL 1 SECOND WHERE account_id = ?', [person.id]);
    expect(errorOf(await confirmReset(token, 'a brand new password'))).toEqual({ status: 400, code: 'validation_failed' });
    expect(errorOf(await confirmReset('made-up-token', 'a brand new password'))).toEqual({ status: 400, code: 'validation_failed' });
    expect(errorOf(await confirmReset(token, 'short'))).toEqual({ status: 400, code: 'validation_failed' });
    expect((await person.get('/api/me')).status).toBe(200);
    await login(person.email, person.password, 'customer');
  });

  it('answers 202 for an unknown e-mail and sends nothing', async () => {
    const before = (await query<{ last: number }>('primary', 'SELECT COALESCE(MAX(id), 0) AS last FROM outbox'))[0]!.last;
    const nobody = uniqueEmail('nobody');
    const res = await requestReset(nobody);
    expect(res.status).toBe(202);
    expect(res.text).toBe('');
    // A known address asked right after is mailed; by then the unknown one would have been too.
    const person = await register('customer');
    expect((await requestReset(person.email)).status).toBe(202);
    await mailedToken(person.email);
    const resets = await query<{ payload: string }>(
      'primary',
      "SELECT payload FROM outbox WHERE id > ? AND event_type = 'password_reset_requested' ORDER BY id",
      [before],
    );
    expect(resets.map((r) => JSON.parse(r.payload))).toEqual([{ accountId: null }, { accountId: person.id }]);
    expect(await mailsTo(nobody)).toEqual([]);
    expect(errorOf(await call('POST', '/api/password-resets', { body: { email: 'not an e-mail' } }))).toEqual({
      status: 400,
      code: 'validation_failed',
    });
  });

  it('does the same work for an address with an account and one without: one event, published and processed', async () => {
    const person = await register('customer');
    const nobody = uniqueEmail('nobody');
    const before = (await query<{ last: number }>('primary', 'SELECT COALESCE(MAX(id), 0) AS last FROM outbox'))[0]!.last;
    expect((await requestReset(nobody)).status).toBe(202);
    expect((await requestReset(person.email)).status).toBe(202);
    await mailedToken(person.email);
    const events = await eventually(async () => {
      const rows = await query<{ id: number; accountId: number | null; published: number; processed: number }>(
        'primary',
        `SELECT id, JSON_VALUE(payload, '$.accountId') AS accountId, published_at IS NOT NULL AS published, processed_at IS NOT NULL AS processed
           FROM outbox WHERE id > ? AND event_type = 'password_reset_requested' ORDER BY id`,
        [before],
      );
      expect(rows.map((r) => [r.published, r.processed])).toEqual([
        [1, 1],
        [1, 1],
      ]);
      return rows;
    });
    // The two events differ only in whom they name; the unknown address's has no job behind it.
    expect(events.map((e) => (e.accountId === null ? null : Number(e.accountId)))).toEqual([null, person.id]);
    expect(await jobsOf(Number(events[0]!.id))).toEqual([]);
    expect(await jobsOf(Number(events[1]!.id))).toHaveLength(1);
  });

  it('sends at most three e-mails an hour to one address, answering 202 alike', async () => {
    const person = await register('customer');
    for (let i = 0; i < 5; i++) expect((await requestReset(person.email.toUpperCase())).status).toBe(202);
    const events = await query<{ id: number }>(
      'primary',
      "SELECT id FROM outbox WHERE event_type = 'password_reset_requested' AND JSON_VALUE(payload, '$.accountId') = ?",
      [String(person.id)],
    );
    expect(events).toHaveLength(3);
    for (const { id } of events) await allDelivered(Number(id), 1);
    expect((await mailsTo(person.email)).filter((m) => m.subject.includes('Восстановление пароля'))).toHaveLength(3);
  });

  it('mails the link even with e-mail notifications off, and never to Telegram', async () => {
    const person = await register('customer');
    await setChannels(person, { email: false, telegramChatId: newChatId() });
    expect((await requestReset(person.email)).status).toBe(202);
    const outboxId = await outboxIdOf('password_reset_requested', 'accountId', person.id);
    const [job] = await allDelivered(outboxId, 1);
    expect(job!.channel).toBe('email');
    await mailedToken(person.email);
  });

  it('spends an open link when the password is changed', async () => {
    const person = await register('customer');
    expect((await requestReset(person.email)).status).toBe(202);
    const token = await mailedToken(person.email);
    expect((await person.put('/api/me/password', { currentPassword: person.password, newPassword: 'changed by the owner' })).status).toBe(
      204,
    );
    const late = await confirmReset(token, 'set by whoever read the mail');
    expect(errorOf(late)).toEqual({ status: 400, code: 'validation_failed' });
    expect(late.body.error.details).toEqual([{ path: 'token', message: expect.any(String) }]);
    expect((await person.get('/api/me')).status).toBe(200);
    await login(person.email, 'changed by the owner', 'customer');
  });
});
