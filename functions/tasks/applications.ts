import { httpHandler } from '../../shared/http/handler';
import { IdParams } from '../../shared/schemas';
import { taskApplications } from '../../shared/tasks/offers';
import { ApplicationsQuery } from '../../shared/tasks/schemas';

export const handler = httpHandler(
  { access: 'customer', params: IdParams, query: ApplicationsQuery },
  async ({ db, session, params, query }) => ({ status: 200, body: await taskApplications(db, params.id, session, query) }),
);
