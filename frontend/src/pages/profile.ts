// A person's public profile: since when they are a member, their record as an executor and as a
// customer, and their published reviews by role. An administrator also blocks, unblocks and hides here.
import { ApiError } from '../api/client';
import { accountReviews, getProfile } from '../api/endpoints';
import type { Profile, Review, ReviewRole } from '../api/types';
import { t } from '../i18n';
import { href, navigate, type PageContext } from '../router';
import { formatDateTime } from '../ui/format';
import { h, uid } from '../ui/h';
import { pagedList } from '../ui/list';
import { blockPanel, hideReviewAction } from '../ui/moderation';
import { badge, pageHeader, section } from '../ui/page';
import { ratingBadge } from '../ui/people';
import { reviewRow } from '../ui/review';

const ROLES: readonly ReviewRole[] = ['executor', 'customer'];

function record(title: string, testid: string, rating: string | null, reviews: number, figures: Array<[string, number]>): HTMLElement {
  return h(
    'section',
    { class: 'card stack', 'data-testid': testid },
    h('h2', { class: 'card__title' }, title),
    h('p', null, ratingBadge(rating, reviews, `${testid}-rating`)),
    h(
      'dl',
      { class: 'details' },
      figures.map(([label, value]) => [h('dt', null, label), h('dd', null, String(value))]),
    ),
  );
}

function roleFilter(profileId: number, current: ReviewRole | null): HTMLElement {
  const id = uid('role');
  const select = h(
    'select',
    { id, class: 'field__control', 'data-testid': 'profile-reviews-role' },
    h('option', { value: '', selected: current === null }, t.trust.reviewsAll),
    h('option', { value: 'executor', selected: current === 'executor' }, t.trust.reviewsAsExecutor),
    h('option', { value: 'customer', selected: current === 'customer' }, t.trust.reviewsAsCustomer),
  );
  select.addEventListener('change', () => navigate(href(`/users/${profileId}`, { role: select.value })));
  return h(
    'div',
    { class: 'filters' },
    h('div', { class: 'field field--inline' }, h('label', { class: 'field__label', for: id }, t.trust.reviewsRole), select),
  );
}

export async function render(ctx: PageContext): Promise<Node> {
  const id = Number(ctx.params.id);
  if (!Number.isSafeInteger(id) || id <= 0) throw new ApiError(404, 'not_found', t.app.notFoundText);
  const role = ROLES.find((r) => r === ctx.query.get('role')) ?? null;
  const profile: Profile = await getProfile(id, ctx.signal);
  const isAdmin = ctx.session?.role === 'admin';

  const item = (review: Review): HTMLElement => {
    const row: HTMLElement = reviewRow(review, { actions: isAdmin ? hideReviewAction(review, () => row) : null });
    return row;
  };
  const reviews = pagedList({
    testid: 'profile-reviews',
    signal: ctx.signal,
    emptyText: t.trust.reviewsEmpty,
    load: (cursor, signal) => accountReviews(id, role, cursor, signal),
    item,
  });

  return h(
    'div',
    { class: 'stack', 'data-testid': 'profile', 'data-account-id': profile.id },
    pageHeader(t.trust.profileTitle(profile.name), profile.blocked ? badge('account', 'blocked', t.trust.blockedBadge) : null),
    h('p', { class: 'muted', 'data-testid': 'profile-since' }, t.trust.memberSince(formatDateTime(profile.memberSince))),
    isAdmin ? section(t.trust.adminAccountsTitle, 'profile-moderation', blockPanel(profile)) : null,
    h(
      'div',
      { class: 'grid-2' },
      record(t.trust.asExecutor, 'profile-executor', profile.asExecutor.rating, profile.asExecutor.reviews, [
        [t.trust.tasksDone, profile.asExecutor.tasksDone],
        [t.trust.disputes, profile.asExecutor.disputes],
      ]),
      record(t.trust.asCustomer, 'profile-customer', profile.asCustomer.rating, profile.asCustomer.reviews, [
        [t.trust.tasksPosted, profile.asCustomer.tasksPosted],
        [t.trust.tasksDone, profile.asCustomer.tasksDone],
        [t.trust.disputes, profile.asCustomer.disputes],
      ]),
    ),
    section(t.trust.profileReviews, null, roleFilter(id, role), reviews.element),
  );
}
