import { httpHandler } from '../../shared/http/handler';
import { IdParams } from '../../shared/schemas';
import { abandonTask } from '../../shared/tasks/transitions';

export const handler = httpHandler({ access: 'executor', params: IdParams, idempotent: true }, async ({ db, session, params }) => ({
  status: 200,
  body: await abandonTask(db, params.id, session),
}));
