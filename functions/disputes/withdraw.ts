import { withdrawDispute } from '../../shared/disputes/disputes';
import { httpHandler } from '../../shared/http/handler';
import { IdParams } from '../../shared/schemas';

export const handler = httpHandler(
  { access: ['customer', 'executor'], params: IdParams, idempotent: true },
  async ({ db, session, params }) => ({ status: 200, body: await withdrawDispute(db, params.id, session) }),
);
