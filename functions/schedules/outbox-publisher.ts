import { RequestDb } from '../../shared/db/request-db';
import { publishLeftBehind } from '../../shared/events/publisher';

/** EventBridge schedule, the outbox's reconciler: publishes events their request failed to publish, or whose message was lost. */
export const handler = async () => publishLeftBehind(new RequestDb().strong);
