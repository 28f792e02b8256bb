import { consentsOf, giveConsents, GiveConsentsBody, legalVersions } from '../../shared/accounts/consents';
import { httpHandler } from '../../shared/http/handler';

export const legal = httpHandler({ access: 'anyone' }, async ({ db }) => ({ status: 200, body: await legalVersions(db) }));

export const list = httpHandler({ access: 'session' }, async ({ db, session }) => ({
  status: 200,
  body: await consentsOf(db, session.accountId),
}));

export const give = httpHandler({ access: 'session', body: GiveConsentsBody }, async ({ db, session, body, ip, userAgent }) => ({
  status: 200,
  body: await giveConsents(db, session.accountId, body, { ip, userAgent }),
}));
