import { httpHandler } from '../../shared/http/handler';
import { IdParams } from '../../shared/schemas';
import { cancelTask } from '../../shared/tasks/transitions';

export const handler = httpHandler({ access: 'customer', params: IdParams, idempotent: true }, async ({ db, session, params }) => ({
  status: 200,
  body: await cancelTask(db, params.id, session),
}));
