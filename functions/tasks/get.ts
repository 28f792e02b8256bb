import { httpHandler } from '../../shared/http/handler';
import { IdParams } from '../../shared/schemas';
import { taskFor } from '../../shared/tasks/details';

export const handler = httpHandler({ access: 'anyone', params: IdParams },
  async ({ db, params, session }) => ({ status: 200, body: await taskFor(db, params.id, session) }));
