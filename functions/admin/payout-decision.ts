import { httpHandler } from '../../shared/http/handler';
import { IdParams } from '../../shared/schemas';
import { decidePayout, DecisionBody, RejectBody } from '../../shared/payouts/payouts';

export const approve = httpHandler(
  { access: 'admin', params: IdParams, body: DecisionBody, idempotent: true },
  async ({ db, session, params, body }) => ({ status: 200, body: await decidePayout(db, params.id, session, 'approve', body.comment) }),
);

export const reject = httpHandler(
  { access: 'admin', params: IdParams, body: RejectBody, idempotent: true },
  async ({ db, session, params, body }) => ({ status: 200, body: await decidePayout(db, params.id, session, 'reject', body.comment) }),
);
