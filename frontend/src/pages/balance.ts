// Customer money: what is available and held, top up through Robokassa, payments, ledger.
import { createPayment, listPayments } from '../api/endpoints';
import type { Payment, ValidationDetail } from '../api/types';
import { t } from '../i18n';
import { paymentReturnFrom } from '../links';
import type { PageContext } from '../router';
import { formatDateTime, parseAmountInput } from '../ui/format';
import { createForm, inputField } from '../ui/form';
import { h } from '../ui/h';
import { ledgerList } from '../ui/ledger';
import { statementSection } from '../ui/statement';
import { pagedList } from '../ui/list';
import { badge, meStats, money, notice, pageHeader, section, stat } from '../ui/page';

function paymentRow(payment: Payment): HTMLElement {
  return h(
    'div',
    { class: 'row', 'data-testid': 'payment-row', 'data-status': payment.status },
    h(
      'div',
      { class: 'row__main' },
      h('strong', null, t.balance.payment(payment.id)),
      h('span', { class: 'meta' }, h('time', { datetime: payment.createdAt }, formatDateTime(payment.createdAt))),
    ),
    h(
      'div',
      { class: 'row__end' },
      money(payment.amount),
      badge('payment', payment.status, t.paymentStatus[payment.status] ?? payment.status),
    ),
  );
}

export function render(ctx: PageContext): Node {
  const stats = meStats(ctx.signal, (me) => [
    stat(t.balance.available, money(me.balance, 'balance-value')),
    stat(t.balance.held, money(me.balanceHeld, 'balance-held-value')),
  ]);

  const form = createForm({
    testid: 'topup-form',
    submitLabel: t.balance.topUpSubmit,
    fields: [
      inputField({
        name: 'amount',
        label: t.balance.amount,
        inputmode: 'decimal',
        required: true,
        autocomplete: 'off',
        hint: t.balance.topUpHint,
      }),
    ],
    validate: (values) => {
      const problems: ValidationDetail[] = [];
      if (values.value('amount') && !parseAmountInput(values.value('amount')))
        problems.push({ path: 'amount', message: t.errors.amountFormat });
      return problems;
    },
    onSubmit: async (values, key) => {
      const payment = await createPayment(parseAmountInput(values.value('amount')) ?? values.value('amount'), key);
      form.element.replaceChildren(notice(t.balance.redirecting, 'info', 'topup-redirecting'));
      location.href = payment.paymentUrl;
    },
  });

  const payments = pagedList({
    testid: 'payments-list',
    signal: ctx.signal,
    emptyText: t.balance.paymentsEmpty,
    load: (cursor, s) => listPayments(cursor, s),
    item: paymentRow,
  });
  const ledger = ledgerList(ctx.signal);

  // Back from Robokassa: the payment is credited by its server-to-server call, which may come a
  // moment later; look again twice so the page catches up without a manual refresh.
  const returned = paymentReturnFrom(ctx.query);
  if (returned === 'success') {
    for (const delay of [3000, 8000]) {
      const timer = window.setTimeout(() => {
        stats.reload();
        payments.reload();
        ledger.reload();
      }, delay);
      ctx.signal.addEventListener('abort', () => window.clearTimeout(timer));
    }
  }

  return h(
    'div',
    { class: 'stack' },
    pageHeader(t.balance.title),
    returned === 'success' ? notice(t.balance.returnedOk, 'success', 'payment-returned') : null,
    returned === 'fail' ? notice(t.balance.returnedFail, 'error', 'payment-returned') : null,
    h(
      'div',
      { class: 'grid-2' },
      h('section', { class: 'card', 'data-testid': 'balance-stats' }, stats.element),
      section(
        t.balance.topUpTitle,
        'topup',
        form.element,
        h('p', { class: 'muted', 'data-testid': 'receipt-note' }, t.balance.receiptNote),
      ),
    ),
    section(t.balance.paymentsTitle, null, payments.element),
    section(t.ledger.title, null, ledger.element),
    statementSection(),
  );
}
