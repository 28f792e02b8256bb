import { httpHandler } from '../../shared/http/handler';
import { IdParams } from '../../shared/schemas';
import { taskWithOwnOffer } from '../../shared/tasks/offers';

export const handler = httpHandler({ access: 'anyone', params: IdParams }, async ({ db, params, session }) => ({
  status: 200,
  body: await taskWithOwnOffer(db, params.id, session),
}));
