import { httpHandler } from '../../shared/http/handler';
import { ErrorsQuery, recentErrors } from '../../shared/ops/admin-views';

export const handler = httpHandler({ access: 'admin', query: ErrorsQuery }, async ({ db, query }) => ({
  status: 200,
  body: await recentErrors(db, query),
}));
