import { RequestDb } from '../../shared/db/request-db';
import { publishClosedWindows } from '../../shared/reviews/reviews';

/** EventBridge schedule: publishes the reviews of tasks whose review window has closed. */
export const handler = async () => ({ published: await publishClosedWindows(new RequestDb()) });
