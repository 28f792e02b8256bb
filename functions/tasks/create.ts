import { httpHandler } from '../../shared/http/handler';
import { createTask } from '../../shared/tasks/create';
import { CreateTaskBody } from '../../shared/tasks/schemas';

export const handler = httpHandler(
  { access: 'customer', body: CreateTaskBody, idempotent: true, refuseBlocked: true },
  async ({ db, session, body }) => ({ status: 201, body: await createTask(db, session, body) }),
);
