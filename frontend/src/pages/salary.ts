// Executor money: earned salary, payout requests (QIWI wallet or card) and their history, ledger.
import { createPayout, listPayouts } from '../api/endpoints';
import type { PayoutMethod, ValidationDetail } from '../api/types';
import { t } from '../i18n';
import type { PageContext } from '../router';
import { parseAmountInput } from '../ui/format';
import { createForm, inputField, radioField } from '../ui/form';
import { h } from '../ui/h';
import { ledgerList } from '../ui/ledger';
import { pagedList } from '../ui/list';
import { meStats, money, pageHeader, section, stat, toast } from '../ui/page';
import { payoutRow } from '../ui/payout';

const QIWI = /^\+7\d{10}$/;
const CARD = /^\d{12,19}$/;

/** What the user typed as the contract's destination: "8 900 123-45-67" → "+79001234567". */
export function normalizeDestination(method: PayoutMethod, raw: string): string {
  const compact = raw.replace(/[\s()-]/g, '');
  if (method === 'card') return compact;
  if (/^8\d{10}$/.test(compact)) return `+7${compact.slice(1)}`;
  if (/^7\d{10}$/.test(compact)) return `+${compact}`;
  return compact;
}

export function render(ctx: PageContext): Node {
  const stats = meStats(ctx.signal, (me) => [
    stat(t.salary.available, money(me.salary, 'salary-value')),
    stat(t.salary.held, money(me.salaryHeld, 'salary-held-value')),
  ]);

  const method = radioField({ name: 'method', label: t.salary.method, value: 'qiwi', options: [
    { value: 'qiwi', label: t.salary.qiwi },
    { value: 'card', label: t.salary.card },
  ] });
  const destination = inputField({ name: 'destination', label: t.salary.qiwiDestination, type: 'text', inputmode: 'tel', required: true, hint: t.salary.qiwiHint, placeholder: '+79001234567', autocomplete: 'off' });
  const destinationLabel = destination.root.querySelector('label');
  const destinationInput = destination.focusTarget as HTMLInputElement;
  method.root.addEventListener('change', () => {
    const card = method.value() === 'card';
    if (destinationLabel) destinationLabel.textContent = card ? t.salary.cardDestination : t.salary.qiwiDestination;
    if (destination.hint) destination.hint.textContent = card ? t.salary.cardHint : t.salary.qiwiHint;
    destinationInput.placeholder = card ? '0000 0000 0000 0000' : '+79001234567';
    destinationInput.inputMode = card ? 'numeric' : 'tel';
    destination.setError(null);
  });

  const payouts = pagedList({ testid: 'payouts-list', signal: ctx.signal, emptyText: t.salary.historyEmpty, load: (cursor, s) => listPayouts(cursor, s), item: (p) => payoutRow(p) });
  const ledger = ledgerList(ctx.signal);

  const form = createForm({
    testid: 'payout-form',
    submitLabel: t.salary.submit,
    fields: [
      inputField({ name: 'amount', label: t.salary.amount, inputmode: 'decimal', required: true, autocomplete: 'off' }),
      method,
      destination,
    ],
    validate: (values) => {
      const problems: ValidationDetail[] = [];
      if (values.value('amount') && !parseAmountInput(values.value('amount'))) problems.push({ path: 'amount', message: t.errors.amountFormat });
      const kind = values.value('method') as PayoutMethod;
      const target = normalizeDestination(kind, values.value('destination'));
      if (target && kind === 'qiwi' && !QIWI.test(target)) problems.push({ path: 'destination', message: t.errors.qiwiFormat });
      if (target && kind === 'card' && !CARD.test(target)) problems.push({ path: 'destination', message: t.errors.cardFormat });
      return problems;
    },
    onSubmit: async (values, key) => {
      const kind = values.value('method') as PayoutMethod;
      await createPayout({
        amount: parseAmountInput(values.value('amount')) ?? values.value('amount'),
        method: kind,
        destination: normalizeDestination(kind, values.value('destination')),
      }, key);
      form.element.reset();
      method.root.dispatchEvent(new Event('change'));
      toast(t.salary.requested);
      stats.reload();
      payouts.reload();
      ledger.reload();
    },
  });

  return h('div', { class: 'stack' },
    pageHeader(t.salary.title),
    h('div', { class: 'grid-2' },
      h('section', { class: 'card', 'data-testid': 'salary-stats' }, stats.element),
      section(t.salary.payoutTitle, 'payout', form.element)),
    section(t.salary.historyTitle, null, payouts.element),
    section(t.ledger.title, null, ledger.element));
}
