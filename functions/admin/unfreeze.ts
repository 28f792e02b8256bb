import { httpHandler } from '../../shared/http/handler';
import { IdParams } from '../../shared/schemas';
import { CommentBody } from '../../shared/tasks/schemas';
import { unfreezeTask } from '../../shared/tasks/transitions';

export const handler = httpHandler(
  { access: 'admin', params: IdParams, body: CommentBody, idempotent: true },
  async ({ db, session, params, body }) => ({ status: 200, body: await unfreezeTask(db, params.id, session, body.comment) }),
);
