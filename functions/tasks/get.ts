import { httpHandler } from '../../shared/http/handler';
import { IdParams } from '../../shared/http/schemas';
import { loadTaskView } from '../../shared/tasks/view';

export const handler = httpHandler({ access: 'anyone', params: IdParams },
  async ({ db, params }) => ({ status: 200, body: await loadTaskView(db, params.id) }));
