import { changePassword, ChangePasswordBody } from '../../shared/accounts/accounts';
import { httpHandler } from '../../shared/http/handler';

export const handler = httpHandler({ access: 'session', body: ChangePasswordBody }, async ({ db, session, body }) => {
  await changePassword(db, session, body);
  return { status: 204 };
});
