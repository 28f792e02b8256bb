import { httpHandler } from '../../shared/http/handler';
import { IdParams } from '../../shared/schemas';
import { AssignBody } from '../../shared/tasks/schemas';
import { assignExecutor } from '../../shared/tasks/offers';

export const handler = httpHandler(
  { access: 'customer', params: IdParams, body: AssignBody, idempotent: true },
  async ({ db, session, params, body }) => ({ status: 200, body: await assignExecutor(db, params.id, session, body) }),
);
