import { decideDispute } from '../../shared/disputes/disputes';
import { disputesToReview } from '../../shared/disputes/queue';
import { AdminDisputesQuery, DecideBody } from '../../shared/disputes/schemas';
import { httpHandler } from '../../shared/http/handler';
import { IdParams } from '../../shared/schemas';

export const list = httpHandler({ access: 'admin', query: AdminDisputesQuery }, async ({ db, query }) => ({
  status: 200,
  body: await disputesToReview(db, query),
}));

export const decide = httpHandler(
  { access: 'admin', params: IdParams, body: DecideBody, idempotent: true },
  async ({ db, session, params, body }) => ({ status: 200, body: await decideDispute(db, params.id, session, body) }),
);
