// Executor money: earned salary, payout requests (SBP by phone and bank, or card) and their history, ledger.
import { createPayout, listPayouts } from '../api/endpoints';
import type { PayoutMethod, ValidationDetail } from '../api/types';
import { t } from '../i18n';
import type { PageContext } from '../router';
import { parseAmountInput } from '../ui/format';
import { createForm, inputField, radioField } from '../ui/form';
import { h } from '../ui/h';
import { ledgerList } from '../ui/ledger';
import { statementSection } from '../ui/statement';
import { pagedList } from '../ui/list';
import { meStats, money, pageHeader, section, stat, toast } from '../ui/page';
import { payoutRow } from '../ui/payout';

const SBP_PHONE = /^\+7\d{10}$/;
const CARD = /^\d{12,19}$/;

/** What the user typed as the contract's destination: "8 900 123-45-67" → "+79001234567". */
export function normalizeDestination(method: PayoutMethod, raw: string): string {
  const compact = raw.replace(/[\s()-]/g, '');
  if (method === 'card') return compact;
  if (/^\+7\d{10}$/.test(compact)) return compact;
  if (/^8\d{10}$/.test(compact)) return `+7${compact.slice(1)}`;
  if (/^7\d{10}$/.test(compact)) return `+${compact}`;
  return compact;
}

/** The phone as it is typed, shown as "+7 (900) 123-45-67". */
export function phoneMask(raw: string): string {
  const digits = raw.replace(/\D/g, '').replace(/^[78]/, '').slice(0, 10);
  const parts = [digits.slice(0, 3), digits.slice(3, 6), digits.slice(6, 8), digits.slice(8, 10)];
  let out = '+7';
  if (parts[0]) out += ` (${parts[0]}${parts[0].length === 3 ? ')' : ''}`;
  if (parts[1]) out += ` ${parts[1]}`;
  if (parts[2]) out += `-${parts[2]}`;
  if (parts[3]) out += `-${parts[3]}`;
  return out;
}

export function render(ctx: PageContext): Node {
  const stats = meStats(ctx.signal, (me) => [
    stat(t.salary.available, money(me.salary, 'salary-value')),
    stat(t.salary.held, money(me.salaryHeld, 'salary-held-value')),
  ]);

  const method = radioField({
    name: 'method',
    label: t.salary.method,
    value: 'sbp',
    options: [
      { value: 'sbp', label: t.salary.sbp },
      { value: 'card', label: t.salary.card },
    ],
  });
  const destination = inputField({
    name: 'destination',
    label: t.salary.sbpDestination,
    type: 'text',
    inputmode: 'tel',
    required: true,
    hint: t.salary.sbpHint,
    placeholder: '+7 (900) 123-45-67',
    autocomplete: 'off',
  });
  const bank = inputField({
    name: 'bank',
    label: t.salary.bank,
    type: 'text',
    hint: t.salary.bankHint,
    maxlength: 60,
    autocomplete: 'off',
  });
  const destinationLabel = destination.root.querySelector('label');
  const destinationInput = destination.focusTarget as HTMLInputElement;
  destinationInput.addEventListener('input', () => {
    if (method.value() === 'sbp') destinationInput.value = phoneMask(destinationInput.value);
  });
  method.root.addEventListener('change', () => {
    const card = method.value() === 'card';
    if (destinationLabel) destinationLabel.textContent = card ? t.salary.cardDestination : t.salary.sbpDestination;
    if (destination.hint) destination.hint.textContent = card ? t.salary.cardHint : t.salary.sbpHint;
    destinationInput.placeholder = card ? '0000 0000 0000 0000' : '+7 (900) 123-45-67';
    destinationInput.inputMode = card ? 'numeric' : 'tel';
    bank.root.hidden = card;
    destination.setError(null);
    bank.setError(null);
  });

  const payouts = pagedList({
    testid: 'payouts-list',
    signal: ctx.signal,
    emptyText: t.salary.historyEmpty,
    load: (cursor, s) => listPayouts(cursor, s),
    item: (p) => payoutRow(p),
  });
  const ledger = ledgerList(ctx.signal);

  const form = createForm({
    testid: 'payout-form',
    submitLabel: t.salary.submit,
    fields: [
      inputField({ name: 'amount', label: t.salary.amount, inputmode: 'decimal', required: true, autocomplete: 'off' }),
      method,
      destination,
      bank,
    ],
    validate: (values) => {
      const problems: ValidationDetail[] = [];
      if (values.value('amount') && !parseAmountInput(values.value('amount')))
        problems.push({ path: 'amount', message: t.errors.amountFormat });
      const kind = values.value('method') as PayoutMethod;
      const target = normalizeDestination(kind, values.value('destination'));
      if (target && kind === 'sbp' && !SBP_PHONE.test(target)) problems.push({ path: 'destination', message: t.errors.sbpFormat });
      const bankName = values.value('bank').trim();
      if (kind === 'sbp' && (bankName === '' || bankName.length > 60)) problems.push({ path: 'bank', message: t.errors.bankRequired });
      if (target && kind === 'card' && !CARD.test(target)) problems.push({ path: 'destination', message: t.errors.cardFormat });
      return problems;
    },
    onSubmit: async (values, key) => {
      const kind = values.value('method') as PayoutMethod;
      await createPayout(
        {
          amount: parseAmountInput(values.value('amount')) ?? values.value('amount'),
          method: kind,
          destination: normalizeDestination(kind, values.value('destination')),
          ...(kind === 'sbp' ? { bank: values.value('bank').trim() } : {}),
        },
        key,
      );
      form.element.reset();
      method.root.dispatchEvent(new Event('change'));
      toast(t.salary.requested);
      stats.reload();
      payouts.reload();
      ledger.reload();
    },
  });

  return h(
    'div',
    { class: 'stack' },
    pageHeader(t.salary.title),
    h(
      'div',
      { class: 'grid-2' },
      h('section', { class: 'card', 'data-testid': 'salary-stats' }, stats.element),
      section(t.salary.payoutTitle, 'payout', form.element),
    ),
    section(t.salary.historyTitle, null, payouts.element),
    section(t.ledger.title, null, ledger.element),
    statementSection(),
  );
}
