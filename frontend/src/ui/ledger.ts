// The caller's money movements (GET /api/me/ledger), shared by the balance and salary pages.
import { ledger } from '../api/endpoints';
import type { LedgerEntry } from '../api/types';
import { t } from '../i18n';
import { href } from '../router';
import { formatDateTime, formatMoney } from './format';
import { h } from './h';
import { pagedList, type PagedList } from './list';
import { money } from './page';

function ledgerRow(entry: LedgerEntry): HTMLElement {
  const refs: Node[] = [];
  if (entry.taskId) refs.push(h('a', { href: href(`/tasks/${entry.taskId}`) }, t.ledger.task(entry.taskId)));
  if (entry.paymentId) refs.push(h('span', null, t.ledger.payment(entry.paymentId)));
  if (entry.payoutId) refs.push(h('span', null, t.ledger.payout(entry.payoutId)));
  const negative = entry.amount.trim().startsWith('-');
  // "доступно −317,50 ₽, удержано +317,50 ₽": what the one movement did to each bucket.
  const effects = Object.entries(entry.effects ?? {})
    .filter(([, amount]) => Number(amount) !== 0)
    .map(
      ([bucket, amount]) =>
        `${t.ledger.effects[bucket] ?? bucket} ${amount.startsWith('-') ? '−' : '+'}${formatMoney(amount.replace(/^-/, ''))}`,
    )
    .join(', ');
  return h(
    'div',
    { class: 'row', 'data-testid': 'ledger-row', 'data-kind': entry.kind },
    h(
      'div',
      { class: 'row__main' },
      h('strong', null, entry.description ?? t.ledger.kinds[entry.kind] ?? entry.kind, effects ? `: ${effects}` : ''),
      h('span', { class: 'meta' }, h('time', { datetime: entry.createdAt }, formatDateTime(entry.createdAt)), refs),
    ),
    h('span', { class: negative ? 'amount amount--out' : 'amount amount--in' }, money(entry.amount)),
  );
}

export function ledgerList(signal: AbortSignal): PagedList {
  return pagedList({ testid: 'ledger-list', signal, emptyText: t.ledger.empty, load: (cursor, s) => ledger(cursor, s), item: ledgerRow });
}
