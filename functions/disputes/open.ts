import { openDispute } from '../../shared/disputes/disputes';
import { OpenDisputeBody } from '../../shared/disputes/schemas';
import { httpHandler } from '../../shared/http/handler';
import { IdParams } from '../../shared/schemas';

export const handler = httpHandler(
  { access: ['customer', 'executor'], params: IdParams, body: OpenDisputeBody, idempotent: true },
  async ({ db, session, params, body }) => ({ status: 200, body: await openDispute(db, params.id, session, body) }),
);
