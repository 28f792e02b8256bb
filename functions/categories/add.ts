import { httpHandler } from '../../shared/http/handler';
import { addCategory, CategoryBody } from '../../shared/tasks/categories';

export const handler = httpHandler({ access: 'admin', body: CategoryBody, idempotent: true }, async ({ db, body }) => ({
  status: 201,
  body: await addCategory(db, body),
}));
