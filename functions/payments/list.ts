import { httpHandler } from '../../shared/http/handler';
import { listPayments, PaymentsQuery } from '../../shared/payments/payments';

export const handler = httpHandler({ access: 'customer', query: PaymentsQuery }, async ({ db, session, query }) => ({
  status: 200,
  body: await listPayments(db, session, query),
}));
