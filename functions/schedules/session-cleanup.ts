import { RequestDb } from '../../shared/db/request-db';
import { cleanUpSessions } from '../../shared/ops/retention';

/** EventBridge schedule: removes sessions idle for more than 30 days. */
export const handler = async () => cleanUpSessions(new RequestDb());
