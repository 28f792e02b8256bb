import { me } from '../../shared/accounts/accounts';
import { httpHandler } from '../../shared/http/handler';

export const handler = httpHandler({ access: 'session' }, async ({ db, session }) => ({ status: 200, body: await me(db, session) }));
