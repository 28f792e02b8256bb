// Reviews of a done task, as its two parties see them: the form until one's own is written, then
// one's own with the blind state explained, and the other's once both are published. Also the
// review as a row of a profile's list.
import { postReview, taskReviews } from '../api/endpoints';
import type { PersonRef, Review, Task, ValidationDetail } from '../api/types';
import { t } from '../i18n';
import { href } from '../router';
import type { StoredSession } from '../session';
import { formatDateTime } from './format';
import { createForm, inputField, radioField } from './form';
import { h, fill, type Child } from './h';
import { loader, loading, notice, toast } from './page';
import { personLink, stars } from './people';

export function reviewRow(review: Review, o: { testid?: string; actions?: Child } = {}): HTMLElement {
  return h(
    'article',
    { class: 'review stack', 'data-testid': o.testid ?? 'review', 'data-review-id': review.id, 'data-subject-role': review.subjectRole },
    h(
      'p',
      { class: 'meta' },
      stars(review.rating),
      h('span', null, `${t.trust.reviewBy}: `, personLink(review.author, 'review-author')),
      h('a', { href: href(`/tasks/${review.task.id}`) }, t.trust.reviewAbout(review.task.title)),
      h('time', { datetime: review.createdAt }, formatDateTime(review.createdAt)),
      h(
        'span',
        { 'data-testid': 'review-published' },
        review.publishedAt ? t.trust.published(formatDateTime(review.publishedAt)) : t.trust.notPublished,
      ),
    ),
    h('p', { class: 'prose', 'data-testid': 'review-text' }, review.text || h('span', { class: 'muted' }, t.trust.noReviewText)),
    o.actions ? h('div', { class: 'row__actions' }, o.actions) : null,
  );
}

function reviewForm(taskId: number, subject: PersonRef, onSent: () => void): HTMLElement {
  const rating = radioField({
    name: 'rating',
    label: t.trust.rating,
    options: [5, 4, 3, 2, 1].map((n) => ({ value: String(n), label: t.trust.ratingValue(n) })),
  });
  const form = createForm({
    testid: 'review-form',
    submitLabel: t.trust.reviewSubmit,
    fields: [rating, inputField({ name: 'text', label: t.trust.reviewText, rows: 3, maxlength: 1000, testid: 'input-review-text' })],
    validate: (values) => {
      const problems: ValidationDetail[] = [];
      if (!values.value('rating')) problems.push({ path: 'rating', message: t.errors.required });
      return problems;
    },
    onSubmit: async (values, key) => {
      await postReview(taskId, { rating: Number(values.value('rating')), text: values.value('text').trim() }, key);
      toast(t.trust.reviewSent);
      onSent();
    },
  });
  return h('div', { class: 'stack' }, h('h3', { class: 'notice__subtitle' }, t.trust.reviewFormTitle(subject.name)), form.element);
}

/** The reviews card of a done task for its customer or executor; null for anyone else. */
export function reviewsPanel(task: Task, session: StoredSession | null, signal: AbortSignal): HTMLElement | null {
  const me = session?.accountId;
  if (task.status !== 'done' || !task.executor || (me !== task.customer.id && me !== task.executor.id)) return null;
  const other = me === task.customer.id ? task.executor : task.customer;
  const body = h('div', { class: 'stack' }, loading());
  const load = loader(body, signal, async () => {
    const { mine, theirs } = await taskReviews(task.id, signal);
    fill(
      body,
      h('p', { class: 'muted', 'data-testid': 'review-blind' }, t.trust.reviewBlind),
      mine
        ? h(
            'div',
            { class: 'stack' },
            h('h3', { class: 'notice__subtitle' }, t.trust.yourReview),
            reviewRow(mine, { testid: 'review-mine' }),
          )
        : reviewForm(task.id, other, () => void load()),
      mine && !theirs && !mine.publishedAt ? notice(t.trust.waitingTheirs(other.name), 'info', 'review-waiting') : null,
      theirs
        ? h(
            'div',
            { class: 'stack' },
            h('h3', { class: 'notice__subtitle' }, t.trust.theirReview(other.name)),
            reviewRow(theirs, { testid: 'review-theirs' }),
          )
        : null,
    );
  });
  void load();
  return h('section', { class: 'card', 'data-testid': 'task-reviews' }, h('h2', { class: 'card__title' }, t.trust.reviewsTitle), body);
}
