// The admin's dispute queue, oldest first: each dispute with its task, the parties' proposals and,
// when opened for a decision, the task's history beside the decision form.
import { adminDisputes, decideDispute, getTask } from '../../api/endpoints';
import { DISPUTE_STATUSES, type QueuedDispute } from '../../api/types';
import { t } from '../../i18n';
import { href, type PageContext } from '../../router';
import { adminHeader, statusFilter } from '../../ui/admin';
import { checkExecutorAmount, disputeFacts, disputeOutcome, executorAmountField } from '../../ui/dispute';
import { createForm, inputField } from '../../ui/form';
import { parseAmountOrZero } from '../../ui/format';
import { fill, h } from '../../ui/h';
import { historyList } from '../../ui/history';
import { pagedList } from '../../ui/list';
import { disclosure, errorBox, loading, money, toast } from '../../ui/page';

function decision(dispute: QueuedDispute, signal: AbortSignal, decided: (d: QueuedDispute) => void): HTMLElement {
  const history = h('div', null, loading());
  const form = createForm({
    testid: 'decide-form',
    fields: [
      executorAmountField(dispute.task.reward),
      inputField({ name: 'comment', label: t.deals.decideComment, rows: 3, required: true, maxlength: 2000 }),
    ],
    submitLabel: t.deals.decide,
    validate: checkExecutorAmount(dispute.task.reward),
    onSubmit: async (values, key) => {
      const answer = await decideDispute(
        dispute.id,
        { executorAmount: parseAmountOrZero(values.value('executorAmount')) ?? '', comment: values.value('comment').trim() },
        key,
      );
      decided({ ...dispute, ...answer });
      toast(t.deals.decided);
    },
  });
  const loadHistory = async (): Promise<void> => {
    fill(history, loading());
    try {
      fill(history, historyList((await getTask(dispute.taskId, signal)).history ?? []));
    } catch (err) {
      if (!signal.aborted)
        fill(
          history,
          errorBox(err, () => void loadHistory()),
        );
    }
  };
  const panel = disclosure(
    t.deals.decide,
    'dispute-decide',
    h('div', { class: 'stack' }, h('h3', { class: 'subtitle' }, t.deals.historyTitle), history, form.element),
  );
  panel.addEventListener(
    'toggle',
    () => {
      if ((panel as HTMLDetailsElement).open) void loadHistory();
    },
    { once: true },
  );
  return panel;
}

function disputeRow(dispute: QueuedDispute, signal: AbortSignal): HTMLElement {
  const slot = h('div', { class: 'slot' });
  const draw = (current: QueuedDispute): void => {
    const open = current.status === 'awaiting_response' || current.status === 'awaiting_admin';
    fill(
      slot,
      h(
        'article',
        { class: 'stack', 'data-testid': 'dispute-row', 'data-dispute-id': current.id, 'data-status': current.status },
        h(
          'div',
          { class: 'task-card__head' },
          h(
            'h2',
            { class: 'task-card__title' },
            h(
              'a',
              { href: href(`/tasks/${current.task.id}`), 'data-testid': 'dispute-task' },
              t.deals.taskLink(current.task.id, current.task.title),
            ),
          ),
          money(current.task.reward, 'task-reward'),
        ),
        disputeFacts(current),
        disputeOutcome(current),
        open ? decision(current, signal, draw) : null,
      ),
    );
  };
  draw(dispute);
  return slot;
}

export function render(ctx: PageContext): Node {
  const wanted = ctx.query.get('status') ?? 'awaiting_admin';
  const status = wanted === 'all' ? null : (DISPUTE_STATUSES.find((s) => s === wanted) ?? 'awaiting_admin');
  const list = pagedList({
    testid: 'admin-disputes-list',
    signal: ctx.signal,
    emptyText: t.deals.queueEmpty,
    load: (cursor, signal) => adminDisputes(status, cursor, signal),
    item: (dispute) => disputeRow(dispute, ctx.signal),
  });
  return h(
    'div',
    { class: 'stack' },
    adminHeader(t.deals.queueTitle),
    statusFilter(
      '/admin/disputes',
      t.admin.status,
      status ?? '',
      [...DISPUTE_STATUSES.map((s) => ({ value: s, label: t.deals.statuses[s] ?? s })), { value: '', label: t.app.all }],
      'admin-disputes-status',
    ),
    list.element,
  );
}
