import { httpHandler } from '../../shared/http/handler';
import { IdParams } from '../../shared/schemas';
import { profile } from '../../shared/reviews/profile';
import { accountReviews, hideReview, postReview, taskReviews } from '../../shared/reviews/reviews';
import { AccountReviewsQuery, HideReviewBody, ReviewBody } from '../../shared/reviews/schemas';

export const post = httpHandler(
  { access: ['customer', 'executor'], params: IdParams, body: ReviewBody, idempotent: true, refuseBlocked: true },
  async ({ db, session, params, body }) => ({ status: 201, body: await postReview(db, session, params.id, body) }),
);

export const ofTask = httpHandler({ access: 'session', params: IdParams }, async ({ db, session, params }) => ({
  status: 200,
  body: await taskReviews(db, session, params.id),
}));

export const ofAccount = httpHandler({ access: 'anyone', params: IdParams, query: AccountReviewsQuery }, async ({ db, params, query }) => ({
  status: 200,
  body: await accountReviews(db, params.id, query),
}));

export const accountProfile = httpHandler({ access: 'anyone', params: IdParams }, async ({ db, params }) => ({
  status: 200,
  body: await profile(db, params.id),
}));

export const hide = httpHandler(
  { access: 'admin', params: IdParams, body: HideReviewBody, idempotent: true },
  async ({ db, session, params, body }) => ({ status: 200, body: await hideReview(db, session, params.id, body.reason) }),
);
