// Offers on `choose` tasks (API v2, "Offers"): an executor applies with a message, a price and a
// term and may change or withdraw it while the task is open; the customer compares the offers
// (with each applicant's rating) and picks one, told first what that does to the held money.
import { type Offer, assignOffer, changeOffer, listApplications, makeOffer, withdrawOffer } from '../api/endpoints';
import type { Application, Task, ValidationDetail } from '../api/types';
import { t } from '../i18n';
import { actionButton } from './actions';
import { applicantName } from './task-trust';
import { daysField, parseDays } from './deadline';
import { createForm, inputField, type FormValues } from './form';
import { formatDateTime, formatMoney, fromKopecks, parseAmountInput, toKopecks } from './format';
import { fill, h } from './h';
import { empty, loader, loading, money, section } from './page';

type Show = (task: Task, message?: string) => void;

function offerTerms(offer: Pick<Application, 'price' | 'days' | 'message'>): HTMLElement {
  return h(
    'dl',
    { class: 'details' },
    h('dt', null, t.deals.offerPrice),
    h('dd', null, offer.price ? money(offer.price, 'offer-price') : t.deals.offerRewardPrice),
    h('dt', null, t.deals.term),
    h('dd', { 'data-testid': 'offer-days' }, offer.days ? t.deals.daysValue(offer.days) : t.deals.offerTaskDays),
    offer.message ? [h('dt', null, t.deals.message), h('dd', { class: 'prose', 'data-testid': 'offer-message' }, offer.message)] : null,
  );
}

function offerFields(task: Task, current: Application | null) {
  return [
    inputField({
      name: 'price',
      label: t.deals.price,
      inputmode: 'decimal',
      autocomplete: 'off',
      value: current?.price ?? '',
      hint: t.deals.priceHint(formatMoney(task.reward)),
    }),
    daysField({ label: t.deals.days, value: current?.days }),
    inputField({ name: 'message', label: t.deals.message, rows: 3, maxlength: 1000, value: current?.message ?? '' }),
  ];
}

function checkOffer(values: FormValues): ValidationDetail[] {
  const problems: ValidationDetail[] = [];
  if (values.value('price').trim() && !parseAmountInput(values.value('price')))
    problems.push({ path: 'price', message: t.errors.amountFormat });
  if (values.value('days').trim() && !parseDays(values.value('days'))) problems.push({ path: 'days', message: t.deals.daysFormat });
  return problems;
}

const offerOf = (values: FormValues): Offer => ({
  message: values.value('message').trim() || null,
  price: parseAmountInput(values.value('price')),
  days: parseDays(values.value('days')),
});

/** The executor's side on an open `choose` task: the offer form, or its own offer to change or withdraw. */
export function ownOffer(task: Task, show: Show): HTMLElement {
  const mine = task.myApplication ?? null;
  const withOffer = (application: Application | null, message: string): void => show({ ...task, myApplication: application }, message);
  if (!mine) {
    const form = createForm({
      testid: 'offer-form',
      submitTestid: 'task-apply',
      submitLabel: t.task.apply,
      fields: offerFields(task, null),
      validate: checkOffer,
      onSubmit: async (values, key) => withOffer(await makeOffer(task.id, offerOf(values), key), t.task.applied),
    });
    return h('div', { class: 'stack' }, h('p', { class: 'muted' }, t.deals.offerIntro), form.element);
  }
  const editor = h('div', { class: 'action__panel' });
  const change = h('button', { type: 'button', class: 'button button--secondary', 'data-testid': 'offer-change' }, t.deals.offerChange);
  change.addEventListener('click', () => {
    const form = createForm({
      testid: 'offer-form',
      submitLabel: t.deals.offerSave,
      fields: offerFields(task, mine),
      validate: checkOffer,
      onSubmit: async (values) => withOffer(await changeOffer(task.id, offerOf(values)), t.deals.offerChanged),
    });
    change.hidden = true;
    fill(editor, form.element);
  });
  return h(
    'div',
    { class: 'stack', 'data-testid': 'my-offer', 'data-application-id': mine.id },
    h('p', { class: 'alert alert--success', 'data-testid': 'task-applied' }, t.task.applied),
    h('h3', { class: 'subtitle' }, t.deals.offerTitle),
    offerTerms(mine),
    change,
    editor,
    actionButton({
      label: t.deals.offerWithdraw,
      testid: 'offer-withdraw',
      kind: 'danger',
      confirm: t.deals.offerWithdrawConfirm,
      run: async () => {
        await withdrawOffer(task.id);
        withOffer(null, t.deals.offerWithdrawn);
      },
    }),
  );
}

/** What choosing this offer does to the money held for the task. */
function priceEffect(task: Task, offer: Application): string {
  const reward = toKopecks(task.reward) ?? 0;
  const difference = offer.price === null ? 0 : (toKopecks(offer.price) ?? reward) - reward;
  if (difference > 0) return t.deals.assignMore(formatMoney(fromKopecks(difference)));
  if (difference < 0) return t.deals.assignLess(formatMoney(fromKopecks(-difference)));
  return t.deals.assignSame;
}

function offerRow(task: Task, offer: Application, show: Show): HTMLElement {
  const effect = priceEffect(task, offer);
  return h(
    'div',
    { class: 'row row--wrap', 'data-testid': 'application-row', 'data-executor-id': offer.executor.id, 'data-application-id': offer.id },
    h(
      'div',
      { class: 'row__main' },
      ...applicantName(task.id, offer.executor),
      h('span', { class: 'muted' }, t.task.appliedAt(formatDateTime(offer.createdAt))),
      offerTerms(offer),
      h('p', { class: 'field__hint', 'data-testid': 'offer-effect' }, effect),
    ),
    h(
      'div',
      { class: 'row__actions' },
      actionButton({
        label: t.task.choose,
        testid: 'application-choose',
        kind: 'primary',
        confirm: `${t.deals.assignConfirm} ${effect}`,
        run: async (key) => show(await assignOffer(task.id, offer.id, key), t.task.chosen),
      }),
    ),
  );
}

/** The customer's list of offers on its open `choose` task, oldest first. */
export function offerList(task: Task, signal: AbortSignal, show: Show): HTMLElement {
  const body = h('div', null, loading());
  const load = loader(body, signal, async () => {
    fill(body, loading());
    const { items } = await listApplications(task.id, signal);
    if (!items.length) return fill(body, empty(t.task.applicationsEmpty));
    fill(
      body,
      h(
        'ul',
        { class: 'list' },
        items.map((offer) => h('li', { class: 'list__item' }, offerRow(task, offer, show))),
      ),
    );
  });
  void load();
  return section(t.task.applications, 'task-applications', body);
}
