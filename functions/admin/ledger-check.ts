import { httpHandler } from '../../shared/http/handler';
import { checkBooks } from '../../shared/money/views';

export const handler = httpHandler({ access: 'admin' }, async ({ db }) => ({ status: 200, body: await checkBooks(db.strong) }));
