import { RequestDb } from '../../shared/db/request-db';
import { requeueStuckJobs } from '../../shared/notifications/jobs';

/** EventBridge schedule: notification jobs whose consumer died, or whose message was lost, go back onto the queue. */
export const handler = async () => requeueStuckJobs(new RequestDb());
