import { httpHandler } from '../../shared/http/handler';
import { IdParams } from '../../shared/schemas';
import { CommentBody } from '../../shared/tasks/schemas';
import { rejectWork } from '../../shared/tasks/transitions';

export const handler = httpHandler(
  { access: 'customer', params: IdParams, body: CommentBody, idempotent: true },
  async ({ db, session, params, body }) => ({ status: 200, body: await rejectWork(db, params.id, session, body.comment) }),
);
