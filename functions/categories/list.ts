import { httpHandler } from '../../shared/http/handler';
import { listCategories } from '../../shared/tasks/categories';

export const handler = httpHandler({ access: 'anyone' }, async ({ db }) => ({ status: 200, body: { items: await listCategories(db) } }));
