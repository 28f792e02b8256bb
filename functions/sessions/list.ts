import { listSessions } from '../../shared/accounts/sessions';
import { httpHandler } from '../../shared/http/handler';

export const handler = httpHandler({ access: 'session' }, async ({ db, session }) => ({
  status: 200,
  body: { items: await listSessions(db, session) },
}));
