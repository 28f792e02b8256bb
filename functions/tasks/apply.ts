import { httpHandler } from '../../shared/http/handler';
import { IdParams } from '../../shared/http/schemas';
import { applyToTask } from '../../shared/tasks/transitions';

export const handler = httpHandler({ access: 'executor', params: IdParams, refuseBlocked: true },
  async ({ db, session, params }) => ({ status: 201, body: await applyToTask(db, params.id, session) }));
