import { httpHandler } from '../../shared/http/handler';
import { listPayouts, PayoutsQuery } from '../../shared/payouts/payouts';

export const handler = httpHandler({ access: 'executor', query: PayoutsQuery }, async ({ db, session, query }) => ({
  status: 200,
  body: await listPayouts(db, session, query),
}));
