import { httpHandler } from '../../shared/http/handler';
import { IdParams } from '../../shared/schemas';
import { extendDeadline } from '../../shared/tasks/deadlines';
import { ExtendBody } from '../../shared/tasks/schemas';

export const handler = httpHandler(
  { access: 'customer', params: IdParams, body: ExtendBody, idempotent: true },
  async ({ db, session, params, body }) => ({ status: 200, body: await extendDeadline(db, params.id, session, body.days, body.comment) }),
);
