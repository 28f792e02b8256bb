import { httpHandler } from '../../shared/http/handler';
import { CreatePaymentBody, createPayment } from '../../shared/payments/payments';

export const handler = httpHandler(
  { access: 'customer', body: CreatePaymentBody, idempotent: true, refuseBlocked: true },
  async ({ db, session, body, ip }) => ({ status: 201, body: await createPayment(db, session, body.amount, ip) }),
);
