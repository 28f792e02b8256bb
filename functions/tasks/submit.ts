import { httpHandler } from '../../shared/http/handler';
import { IdParams } from '../../shared/schemas';
import { SubmitBody } from '../../shared/tasks/schemas';
import { submitWork } from '../../shared/tasks/transitions';

export const handler = httpHandler(
  { access: 'executor', params: IdParams, body: SubmitBody, idempotent: true },
  async ({ db, session, params, body }) => ({ status: 200, body: await submitWork(db, params.id, session, body.comment) }),
);
