import { httpHandler } from '../../shared/http/handler';
import { IdParams } from '../../shared/schemas';
import { applyToTask } from '../../shared/tasks/offers';
import { ApplyBody } from '../../shared/tasks/schemas';

export const handler = httpHandler(
  { access: 'executor', params: IdParams, body: ApplyBody, idempotent: true, refuseBlocked: true },
  async ({ db, session, params, body }) => ({ status: 201, body: await applyToTask(db, params.id, session, body) }),
);
