import { RequestDb } from '../../shared/db/request-db';
import { applyRetention } from '../../shared/ops/retention';

/** EventBridge schedule: deletes request timings, errors, idempotency keys and notifications past their keeping time. */
export const handler = async () => applyRetention(new RequestDb());
