import { httpHandler } from '../../shared/http/handler';
import { feed } from '../../shared/tasks/queries';
import { FeedQuery } from '../../shared/tasks/schemas';

export const handler = httpHandler({ access: 'anyone', query: FeedQuery }, async ({ db, query }) => ({
  status: 200,
  body: await feed(db, query),
}));
