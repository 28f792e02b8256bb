import { revokeSession } from '../../shared/accounts/sessions';
import { httpHandler } from '../../shared/http/handler';

export const handler = httpHandler({ access: 'session' }, async ({ db, session }) => {
  await revokeSession(db, session, session.id);
  return { status: 204 };
});
