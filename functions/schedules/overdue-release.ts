import { RequestDb } from '../../shared/db/request-db';
import { releaseOverdue } from '../../shared/tasks/deadlines';

/** EventBridge schedule: `first` tasks overdue for OVERDUE_RELEASE_HOURS go back to the feed. */
export const handler = async () => ({ released: await releaseOverdue(new RequestDb()) });
