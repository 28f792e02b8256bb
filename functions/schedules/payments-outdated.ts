import { RequestDb } from '../../shared/db/request-db';
import { outdatePayments } from '../../shared/payments/payments';

/** EventBridge schedule: payments left unpaid past PAYMENT_TTL_HOURS become outdated. */
export const handler = async () => ({ outdated: await outdatePayments(new RequestDb()) });
