import { RequestDb } from '../../shared/db/request-db';
import { autoAcceptDue } from '../../shared/tasks/transitions';

/** EventBridge schedule: pays out tasks left in review past AUTO_ACCEPT_HOURS. */
export const handler = async () => ({ accepted: await autoAcceptDue(new RequestDb()) });
