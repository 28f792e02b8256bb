import { httpHandler } from '../../shared/http/handler';
import { myTasks } from '../../shared/tasks/queries';
import { MyTasksQuery } from '../../shared/tasks/schemas';

export const handler = httpHandler({ access: ['customer', 'executor'], query: MyTasksQuery }, async ({ db, session, query }) => ({
  status: 200,
  body: await myTasks(db, session, query),
}));
