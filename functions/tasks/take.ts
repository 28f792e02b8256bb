import { httpHandler } from '../../shared/http/handler';
import { IdParams } from '../../shared/schemas';
import { takeTask } from '../../shared/tasks/transitions';

export const handler = httpHandler(
  { access: 'executor', params: IdParams, idempotent: true, refuseBlocked: true },
  async ({ db, session, params }) => ({ status: 200, body: await takeTask(db, params.id, session) }),
);
