import { httpHandler } from '../../shared/http/handler';
import { AdminPayoutsQuery, payoutsToReview } from '../../shared/payouts/payouts';

export const handler = httpHandler({ access: 'admin', query: AdminPayoutsQuery }, async ({ db, query }) => ({
  status: 200,
  body: await payoutsToReview(db, query),
}));
