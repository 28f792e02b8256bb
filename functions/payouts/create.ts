import { httpHandler } from '../../shared/http/handler';
import { CreatePayoutBody, requestPayout } from '../../shared/payouts/payouts';

export const handler = httpHandler({ access: 'executor', body: CreatePayoutBody, idempotent: true }, async ({ db, session, body, ip }) => ({
  status: 201,
  body: await requestPayout(db, session, body, ip),
}));
