import { httpHandler } from '../../shared/http/handler';
import { IdParams } from '../../shared/schemas';
import { changeOffer, withdrawOffer } from '../../shared/tasks/offers';
import { OfferBody } from '../../shared/tasks/schemas';

export const put = httpHandler(
  { access: 'executor', params: IdParams, body: OfferBody, refuseBlocked: true },
  async ({ db, session, params, body }) => ({ status: 200, body: await changeOffer(db, params.id, session, body) }),
);

export const remove = httpHandler({ access: 'executor', params: IdParams }, async ({ db, session, params }) => {
  await withdrawOffer(db, params.id, session);
  return { status: 204 };
});
