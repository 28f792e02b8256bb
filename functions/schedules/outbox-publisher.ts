import { RequestDb } from '../../shared/db/request-db';
import { publishLeftBehind } from '../../shared/events/publisher';

/** EventBridge schedule, the outbox's safety net: publishes events their request failed to publish. */
export const handler = async () => ({ published: await publishLeftBehind(new RequestDb().strong) });
