import { respondToDispute } from '../../shared/disputes/disputes';
import { RespondBody } from '../../shared/disputes/schemas';
import { httpHandler } from '../../shared/http/handler';
import { IdParams } from '../../shared/schemas';

export const handler = httpHandler(
  { access: ['customer', 'executor'], params: IdParams, body: RespondBody, idempotent: true },
  async ({ db, session, params, body }) => ({ status: 200, body: await respondToDispute(db, params.id, session, body) }),
);
