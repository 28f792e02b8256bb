import { revokeSession } from '../../shared/accounts/sessions';
import { httpHandler } from '../../shared/http/handler';
import { IdParams } from '../../shared/schemas';

export const handler = httpHandler({ access: 'session', params: IdParams }, async ({ db, session, params }) => {
  await revokeSession(db, session, params.id);
  return { status: 204 };
});
