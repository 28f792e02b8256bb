// People as the site shows them: a name is a link to the person's public profile, and a rating
// ("★ 4,67 · 3 отзыва") sits beside applicants and customers.
import type { PersonRef } from '../api/types';
import { t } from '../i18n';
import { href } from '../router';
import { h } from './h';

const profileHref = (accountId: number): string => href(`/users/${accountId}`);

/** The name as a link to the profile; `testid` goes on the link, whose text is the name alone. */
export function personLink(person: Pick<PersonRef, 'id' | 'name'>, testid?: string): HTMLElement {
  return h('a', { href: profileHref(person.id), class: 'person', 'data-testid': testid }, person.name);
}

/** "4.67" → "4,67": a rating is a decimal string, shown in the locale's way. */
function formatRating(rating: string): string {
  return rating.replace('.', t.money.decimal);
}

export function ratingBadge(rating: string | null | undefined, reviews: number | undefined, testid = 'rating'): HTMLElement {
  const count = reviews ?? 0;
  const text = rating ? `★ ${formatRating(rating)} · ${t.trust.reviewsCount(count)}` : t.trust.noRating;
  return h('span', { class: 'rating', 'data-testid': testid, 'data-rating': rating ?? '', 'data-reviews': count }, text);
}

/** The stars of one review, read out as "4 из 5". */
export function stars(rating: number): HTMLElement {
  const full = Math.max(0, Math.min(5, rating));
  return h(
    'span',
    { class: 'stars', role: 'img', 'aria-label': t.trust.ratingValue(full), 'data-testid': 'review-rating', 'data-rating': full },
    '★'.repeat(full) + '☆'.repeat(5 - full),
  );
}
