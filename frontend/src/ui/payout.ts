// A payout as a row: amount, where it goes, status, the admin's comment. Used by the executor's
// history and the admin's review list.
import type { Payout } from '../api/types';
import { t } from '../i18n';
import { formatDateTime } from './format';
import { h, type Child } from './h';
import { badge, money } from './page';
import { personLink } from './people';

/** Card numbers are shown by their last four digits; phones in full, with the SBP bank. */
function destinationText(payout: Pick<Payout, 'method' | 'destination'> & { bank?: string | null }, full = false): string {
  const method = t.payoutMethod[payout.method] ?? payout.method;
  if (payout.method === 'card' && !full) return `${method} •••• ${payout.destination.slice(-4)}`;
  return `${method} ${payout.destination}${payout.bank ? `, ${payout.bank}` : ''}`;
}

export function payoutRow(payout: Payout, options: { full?: boolean; actions?: Child } = {}): HTMLElement {
  return h(
    'div',
    { class: 'row row--wrap', 'data-testid': 'payout-row', 'data-payout-id': payout.id, 'data-status': payout.status },
    h(
      'div',
      { class: 'row__main' },
      h('strong', null, t.salary.payout(payout.id), payout.executor ? [' · ', personLink(payout.executor, 'payout-executor')] : null),
      h(
        'span',
        { class: 'meta' },
        h('span', { 'data-testid': 'payout-destination' }, destinationText(payout, options.full)),
        h('time', { datetime: payout.createdAt }, formatDateTime(payout.createdAt)),
        payout.decidedAt ? h('span', null, t.salary.decided(formatDateTime(payout.decidedAt))) : null,
      ),
      payout.comment ? h('p', { class: 'row__comment', 'data-testid': 'payout-comment' }, payout.comment) : null,
    ),
    h(
      'div',
      { class: 'row__end' },
      money(payout.amount, 'payout-amount'),
      badge('payout', payout.status, t.payoutStatus[payout.status] ?? payout.status),
    ),
    options.actions ? h('div', { class: 'row__actions' }, options.actions) : null,
  );
}
