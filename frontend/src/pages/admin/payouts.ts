// Payout requests for review, oldest first: approve, or reject with a comment.
import { adminPayouts, approvePayout, rejectPayout } from '../../api/endpoints';
import { PAYOUT_STATUSES, type Payout } from '../../api/types';
import { t } from '../../i18n';
import type { PageContext } from '../../router';
import { actionButton, commentAction } from '../../ui/actions';
import { adminHeader, statusFilter } from '../../ui/admin';
import { h } from '../../ui/h';
import { pagedList } from '../../ui/list';
import { toast } from '../../ui/page';
import { payoutRow } from '../../ui/payout';

function reviewRow(payout: Payout): HTMLElement {
  const slot = h('div', { class: 'slot' });
  const draw = (current: Payout): void => {
    const actions =
      current.status === 'created'
        ? [
            actionButton({
              label: t.admin.approve,
              testid: 'payout-approve',
              kind: 'primary',
              run: async (key) => {
                draw(await approvePayout(current.id, key));
                toast(t.admin.approved);
              },
            }),
            commentAction({
              label: t.admin.reject,
              testid: 'payout-reject',
              kind: 'danger',
              commentLabel: t.admin.rejectComment,
              required: true,
              run: async (comment, key) => {
                draw(await rejectPayout(current.id, comment, key));
                toast(t.admin.rejected);
              },
            }),
          ]
        : null;
    const row = payoutRow(current, { full: true, actions });
    slot.replaceChildren(row);
    if (!actions) row.tabIndex = -1;
    if (!actions && slot.isConnected && document.activeElement === document.body) row.focus();
  };
  draw(payout);
  return slot;
}

export function render(ctx: PageContext): Node {
  const wanted = ctx.query.get('status') ?? 'created';
  const status = wanted === 'all' ? '' : (PAYOUT_STATUSES.find((s) => s === wanted) ?? 'created');
  const list = pagedList({
    testid: 'admin-payouts-list',
    signal: ctx.signal,
    emptyText: t.admin.payoutsEmpty,
    load: (cursor, signal) => adminPayouts(status || null, cursor, signal),
    item: reviewRow,
  });
  return h(
    'div',
    { class: 'stack' },
    adminHeader(t.admin.payoutsTitle),
    statusFilter(
      '/admin/payouts',
      t.admin.status,
      status,
      [...PAYOUT_STATUSES.map((s) => ({ value: s, label: t.payoutStatus[s] ?? s })), { value: '', label: t.app.all }],
      'admin-payouts-status',
    ),
    list.element,
  );
}
