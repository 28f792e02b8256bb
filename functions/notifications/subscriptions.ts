import { httpHandler } from '../../shared/http/handler';
import { CategoryParams, subscribe, subscriptions, unsubscribe } from '../../shared/notifications/settings';

export const list = httpHandler({ access: 'executor' }, async ({ db, session }) => ({
  status: 200,
  body: await subscriptions(db, session.accountId),
}));

export const put = httpHandler({ access: 'executor', params: CategoryParams }, async ({ db, session, params }) => {
  await subscribe(db, session.accountId, params.categoryId);
  return { status: 204 };
});

export const remove = httpHandler({ access: 'executor', params: CategoryParams }, async ({ db, session, params }) => {
  await unsubscribe(db, session.accountId, params.categoryId);
  return { status: 204 };
});
