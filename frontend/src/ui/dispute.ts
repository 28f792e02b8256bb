// The dispute panel on a task (API v2, "Disputes"), for both parties: open one with a proposal of
// how to split the held reward, answer it (agree, or counter and leave it to an admin), withdraw
// it, see the answer deadline count down, and the outcome with the money each side got.
import { openDispute, respondToDispute, withdrawDispute } from '../api/endpoints';
import type { Dispute, Party, Task, ValidationDetail } from '../api/types';
import { t } from '../i18n';
import type { StoredSession } from '../session';
import { actionButton } from './actions';
import { createForm, inputField, type FormValues } from './form';
import { formatDateTime, formatMoney, parseAmountOrZero, toKopecks } from './format';
import { h } from './h';
import { badge, disclosure, money, notice, section } from './page';

type Show = (task: Task, message?: string) => void;
const MINUTE = 60_000;

/** Which side of the task's deal this session is on: the owner's customer session, or the assignee's executor session. */
function partyOf(task: Task, session: StoredSession | null): Party | null {
  if (session?.role === 'customer' && task.customer.id === session.accountId) return 'customer';
  if (session?.role === 'executor' && task.executor?.id === session.accountId) return 'executor';
  return null;
}

function mayOpen(task: Task, party: Party): boolean {
  if (party === 'customer') return task.status === 'in_work' || task.status === 'review';
  return task.status === 'review' || (task.status === 'in_work' && (task.rejections ?? 0) > 0);
}

const disputeBadge = (dispute: Dispute): HTMLElement =>
  badge('dispute', dispute.status, t.deals.statuses[dispute.status] ?? dispute.status);

/** The amount field of a proposal or a decision: 0 .. the task's reward, checked before sending. */
export function executorAmountField(reward: string): ReturnType<typeof inputField> {
  return inputField({
    name: 'executorAmount',
    label: t.deals.executorAmount,
    inputmode: 'decimal',
    autocomplete: 'off',
    required: true,
    hint: t.deals.executorAmountHint(formatMoney(reward)),
  });
}

export function checkExecutorAmount(reward: string) {
  return (values: FormValues): ValidationDetail[] => {
    const amount = parseAmountOrZero(values.value('executorAmount'));
    const fits = amount !== null && (toKopecks(amount) ?? 0) <= (toKopecks(reward) ?? 0);
    return fits ? [] : [{ path: 'executorAmount', message: t.deals.amountFormat }];
  };
}

const amountOf = (values: FormValues): string => parseAmountOrZero(values.value('executorAmount')) ?? '';

/** "Answer by 3 Dec, 14:00 · 2 d 5 h left", kept current every minute while it is on the page. */
function countdown(respondBy: string): HTMLElement {
  const until = new Date(respondBy).getTime();
  const left = h('span', { class: 'muted' });
  const tick = (): void => {
    const rest = until - Date.now();
    const minutes = Math.max(0, Math.ceil(rest / MINUTE));
    left.textContent =
      rest <= 0 ? t.deals.timeUp : t.deals.remaining(Math.floor(minutes / 1440), Math.floor((minutes % 1440) / 60), minutes % 60);
  };
  tick();
  const timer = window.setInterval(() => {
    if (!left.isConnected) window.clearInterval(timer);
    else tick();
  }, MINUTE / 2);
  return h(
    'p',
    { 'data-testid': 'dispute-respond-by', 'data-respond-by': respondBy },
    h('time', { datetime: respondBy }, t.deals.respondBy(formatDateTime(respondBy))),
    ' · ',
    left,
  );
}

function proposal(dispute: Dispute, party: Party): HTMLElement {
  const amount = dispute.proposals[party];
  return h('span', { 'data-testid': `dispute-proposal-${party}` }, amount === null ? t.deals.noProposal : money(amount));
}

/** Who opened it, why, and what each side proposes. */
export function disputeFacts(dispute: Dispute): HTMLElement {
  return h(
    'dl',
    { class: 'details' },
    h('dt', null, t.admin.status),
    h('dd', { 'data-testid': 'dispute-status', 'data-status': dispute.status }, disputeBadge(dispute)),
    h('dt', null, t.deals.openedBy[dispute.openedBy]),
    h('dd', null, h('time', { datetime: dispute.createdAt }, formatDateTime(dispute.createdAt))),
    h('dt', null, t.deals.reason),
    h('dd', { class: 'prose', 'data-testid': 'dispute-reason' }, dispute.reason),
    h('dt', null, t.deals.proposalOf.customer),
    h('dd', null, proposal(dispute, 'customer')),
    h('dt', null, t.deals.proposalOf.executor),
    h('dd', null, proposal(dispute, 'executor')),
  );
}

/** The split as it was settled: the executor's share E and what it earned of it, and what went back to the customer. */
export function disputeOutcome(dispute: Dispute): HTMLElement | null {
  const resolution = dispute.resolution;
  if (!resolution) return null;
  const figure = (label: string, amount: string, testid: string): HTMLElement =>
    h('div', { class: 'stat' }, h('span', { class: 'stat__label' }, label), h('span', { class: 'stat__value' }, money(amount, testid)));
  return h(
    'div',
    { class: 'stack', 'data-testid': 'dispute-outcome', 'data-by': resolution.by },
    h('h3', { class: 'subtitle' }, t.deals.outcome),
    h(
      'p',
      null,
      t.deals.resolvedBy[resolution.by] ?? resolution.by,
      dispute.resolvedAt ? [' · ', h('time', { datetime: dispute.resolvedAt }, formatDateTime(dispute.resolvedAt))] : null,
    ),
    h(
      'div',
      { class: 'stats' },
      figure(t.deals.executorShare, resolution.executorAmount, 'dispute-executor-amount'),
      figure(t.deals.executorGot, resolution.executorEarned, 'dispute-executor-earned'),
      figure(t.deals.customerGot, resolution.customerRefund, 'dispute-customer-refund'),
    ),
    resolution.comment ? h('p', { class: 'prose', 'data-testid': 'dispute-comment' }, resolution.comment) : null,
  );
}

function openForm(task: Task, show: Show): HTMLElement {
  const form = createForm({
    testid: 'dispute-open-form',
    fields: [
      inputField({ name: 'reason', label: t.deals.reason, rows: 3, required: true, maxlength: 2000 }),
      executorAmountField(task.reward),
    ],
    submitLabel: t.deals.disputeOpen,
    submitKind: 'danger',
    validate: checkExecutorAmount(task.reward),
    onSubmit: async (values, key) =>
      show(await openDispute(task.id, { reason: values.value('reason').trim(), executorAmount: amountOf(values) }, key), t.deals.opened),
  });
  return disclosure(t.deals.disputeOpen, 'dispute-open', h('p', { class: 'muted' }, t.deals.disputeIntro), form.element);
}

function answer(task: Task, dispute: Dispute, show: Show): Node[] {
  const offered = dispute.proposals[dispute.openedBy] ?? '0.00';
  const counter = createForm({
    testid: 'dispute-counter-form',
    fields: [executorAmountField(task.reward), inputField({ name: 'comment', label: t.deals.counterComment, rows: 2, maxlength: 2000 })],
    submitLabel: t.deals.counter,
    validate: checkExecutorAmount(task.reward),
    onSubmit: async (values, key) => {
      const comment = values.value('comment').trim();
      const answered = await respondToDispute(task.id, { executorAmount: amountOf(values), ...(comment ? { comment } : {}) }, key);
      show(answered, answered.dispute?.status === 'resolved' ? t.deals.agreed : t.deals.countered);
    },
  });
  return [
    actionButton({
      label: t.deals.agree(formatMoney(offered)),
      testid: 'dispute-agree',
      kind: 'primary',
      run: async (key) => show(await respondToDispute(task.id, { executorAmount: offered }, key), t.deals.agreed),
    }),
    disclosure(t.deals.counter, 'dispute-counter', counter.element),
  ];
}

function openDisputeActions(task: Task, dispute: Dispute, party: Party | null, show: Show): Node[] {
  const waiting = dispute.status === 'awaiting_response';
  const nodes: Node[] = [];
  if (waiting) nodes.push(countdown(dispute.respondBy), h('p', { class: 'muted' }, t.deals.timeoutRule));
  if (waiting && party && party !== dispute.openedBy) nodes.push(...answer(task, dispute, show));
  else if (waiting && party) nodes.push(notice(t.deals.waitOther, 'info', 'dispute-waiting'));
  if (dispute.status === 'awaiting_admin') nodes.push(notice(t.deals.waitAdmin, 'info', 'dispute-waiting'));
  if (party === dispute.openedBy) {
    nodes.push(
      actionButton({
        label: t.deals.withdraw,
        testid: 'dispute-withdraw',
        confirm: t.deals.withdrawConfirm,
        run: async (key) => show(await withdrawDispute(task.id, key), t.deals.withdrawn),
      }),
    );
  }
  return nodes;
}

/** The panel, or null when the task has no dispute and this session may not open one. */
export function disputePanel(task: Task, session: StoredSession | null, show: Show): HTMLElement | null {
  const party = partyOf(task, session);
  const dispute = task.dispute ?? null;
  const canOpen = party !== null && mayOpen(task, party);
  if (!dispute && !canOpen) return null;
  const body: Node[] = [];
  if (dispute && dispute.status !== 'withdrawn') {
    body.push(disputeFacts(dispute));
    if (task.status === 'disputed') body.push(...openDisputeActions(task, dispute, party, show));
    const outcome = disputeOutcome(dispute);
    if (outcome) body.push(outcome);
  } else if (dispute) {
    body.push(h('p', { class: 'muted', 'data-testid': 'dispute-withdrawn' }, t.deals.lastWithdrawn));
  }
  if (canOpen) body.push(openForm(task, show));
  return section(t.deals.disputeTitle, 'dispute-panel', h('div', { class: 'actions' }, body));
}
