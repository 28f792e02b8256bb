import { RequestDb } from '../../shared/db/request-db';
import { warmFeed } from '../../shared/tasks/queries';

/** EventBridge schedule: fills the cached first page of the feed, for all tasks and per category. */
export const handler = async () => warmFeed(new RequestDb());
