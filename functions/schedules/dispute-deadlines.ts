import { RequestDb } from '../../shared/db/request-db';
import { resolveUnanswered } from '../../shared/disputes/disputes';

/** EventBridge schedule: disputes unanswered past respondBy are resolved at the opener's proposal. */
export const handler = async () => ({ resolved: await resolveUnanswered(new RequestDb()) });
