import { httpHandler } from '../../shared/http/handler';
import { routeStats, StatsQuery } from '../../shared/ops/admin-views';

export const handler = httpHandler({ access: 'admin', query: StatsQuery }, async ({ db, query }) => ({
  status: 200,
  body: await routeStats(db, query.hours),
}));
