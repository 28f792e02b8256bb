// One task, with exactly the actions the caller's role and the task's state allow.
import { ApiError } from '../api/client';
import { abandonTask, acceptTask, cancelTask, freezeTask, getTask, rejectTask, submitTask, takeTask, unfreezeTask } from '../api/endpoints';
import type { Task } from '../api/types';
import { t } from '../i18n';
import { loginHref, currentTarget, type PageContext } from '../router';
import type { StoredSession } from '../session';
import { actionButton, commentAction } from '../ui/actions';
import { deadlineActions, dueDate } from '../ui/deadline';
import { disputePanel } from '../ui/dispute';
import { formatDateTime } from '../ui/format';
import { h, fill } from '../ui/h';
import { historyList } from '../ui/history';
import { offerList, ownOffer } from '../ui/offers';
import { money, section, titledHeader, toast } from '../ui/page';
import { taskStatusBadge } from '../ui/task-card';
import { personLink, ratingBadge } from '../ui/people';
import { taskTrustPanels } from '../ui/task-trust';

type Show = (task: Task, message?: string) => void;
const OPEN_STATES = new Set(['actual', 'in_work', 'review']);

function details(task: Task): HTMLElement {
  const row = (label: string, value: Node | string): HTMLElement[] => [h('dt', null, label), h('dd', null, value)];
  return h(
    'dl',
    { class: 'details' },
    row(t.task.reward, money(task.reward, 'task-reward')),
    row(t.task.category, task.category.name),
    row(t.task.assignment, t.assignment[task.assignment] ?? task.assignment),
    row(
      t.task.customer,
      h(
        'span',
        null,
        personLink(task.customer, 'task-customer'),
        ' ',
        ratingBadge(task.customer.rating, task.customer.reviews, 'customer-rating'),
      ),
    ),
    row(
      t.task.executor,
      task.executor ? personLink(task.executor, 'task-executor') : h('span', { 'data-testid': 'task-executor' }, t.task.noExecutor),
    ),
    row(t.deals.term, dueDate(task)),
    row(t.task.created, h('time', { datetime: task.createdAt }, formatDateTime(task.createdAt))),
    row(t.task.updated, h('time', { datetime: task.updatedAt }, formatDateTime(task.updatedAt))),
  );
}

function executorActions(task: Task, me: number, show: Show): Node[] {
  const mine = task.executor?.id === me;
  if (task.status === 'actual' && task.customer.id === me) return [h('p', { class: 'muted' }, t.task.ownTask)];
  if (task.status === 'actual' && task.assignment === 'first') {
    return [
      actionButton({
        label: t.task.take,
        testid: 'task-take',
        kind: 'primary',
        run: async () => show(await takeTask(task.id), t.task.taken),
      }),
    ];
  }
  if (task.status === 'actual' && task.assignment === 'choose') return [ownOffer(task, show)];
  if (task.status === 'in_work' && mine) {
    return [
      commentAction({
        label: t.task.submit,
        testid: 'task-submit',
        kind: 'primary',
        commentLabel: t.task.submitComment,
        required: false,
        run: async (comment) => show(await submitTask(task.id, comment), t.task.submitted),
      }),
      actionButton({
        label: t.task.abandon,
        testid: 'task-abandon',
        kind: 'danger',
        confirm: t.task.abandonConfirm,
        run: async () => show(await abandonTask(task.id), t.task.abandoned),
      }),
    ];
  }
  return [];
}

function ownerActions(task: Task, show: Show): Node[] {
  if (task.status === 'actual') {
    return [
      actionButton({
        label: t.task.cancel,
        testid: 'task-cancel',
        kind: 'danger',
        confirm: t.task.cancelConfirm,
        run: async (key) => show(await cancelTask(task.id, key), t.task.cancelled),
      }),
    ];
  }
  if (task.status === 'review') {
    return [
      h('p', { class: 'muted' }, t.task.acceptHint),
      actionButton({
        label: t.task.accept,
        testid: 'task-accept',
        kind: 'primary',
        run: async (key) => show(await acceptTask(task.id, key), t.task.accepted),
      }),
      commentAction({
        label: t.task.reject,
        testid: 'task-reject',
        commentLabel: t.task.rejectComment,
        required: true,
        run: async (comment) => show(await rejectTask(task.id, comment), t.task.rejected),
      }),
    ];
  }
  if (task.status === 'in_work') return deadlineActions(task, show);
  return [];
}

function adminActions(task: Task, show: Show): Node[] {
  if (task.status === 'frozen') {
    return [
      commentAction({
        label: t.task.unfreeze,
        testid: 'task-unfreeze',
        commentLabel: t.task.adminComment,
        required: true,
        run: async (comment) => show(await unfreezeTask(task.id, comment), t.task.unfrozen),
      }),
    ];
  }
  if (OPEN_STATES.has(task.status)) {
    return [
      commentAction({
        label: t.task.freeze,
        testid: 'task-freeze',
        kind: 'danger',
        commentLabel: t.task.adminComment,
        required: true,
        run: async (comment) => show(await freezeTask(task.id, comment), t.task.frozen),
      }),
    ];
  }
  return [];
}

function actionsFor(task: Task, session: StoredSession | null, show: Show): Node[] {
  if (!session) {
    return task.status === 'actual'
      ? [
          h(
            'p',
            null,
            h('a', { class: 'button button--primary', href: loginHref(currentTarget()), 'data-testid': 'task-login' }, t.task.loginToAct),
          ),
        ]
      : [];
  }
  if (session.role === 'executor') return executorActions(task, session.accountId, show);
  if (session.role === 'customer' && task.customer.id === session.accountId) return ownerActions(task, show);
  if (session.role === 'admin') return adminActions(task, show);
  return [];
}

export async function render(ctx: PageContext): Promise<Node> {
  const id = Number(ctx.params.id);
  if (!Number.isSafeInteger(id) || id <= 0) throw new ApiError(404, 'not_found', t.app.notFoundText);
  const root = h('div', { class: 'stack task-page' });

  const show: Show = (task, message) => {
    const session = ctx.session;
    const actions = actionsFor(task, session, show);
    const actionsTitle = h('h2', { class: 'card__title', tabindex: '-1' }, t.task.actions);
    const isOwner = session?.role === 'customer' && task.customer.id === session.accountId;
    fill(
      root,
      titledHeader(task.title, 'task-page-title', taskStatusBadge(task.status)),
      h('p', { class: 'muted' }, t.task.number(task.id)),
      h(
        'div',
        { class: 'task-layout' },
        h(
          'div',
          { class: 'stack' },
          h('section', { class: 'card' }, h('p', { class: 'prose', 'data-testid': 'task-description' }, task.description)),
          isOwner && task.assignment === 'choose' && task.status === 'actual' ? offerList(task, ctx.signal, show) : null,
          ...taskTrustPanels(task, session, ctx.signal),
        ),
        h(
          'div',
          { class: 'stack' },
          h(
            'section',
            { class: 'card', 'data-testid': 'task-actions', 'data-status': task.status },
            actionsTitle,
            actions.length
              ? h('div', { class: 'actions' }, actions)
              : h('p', { class: 'muted' }, task.status === 'disputed' ? t.deals.whileDisputed : t.task.noActions),
          ),
          disputePanel(task, session, show),
          h('section', { class: 'card' }, details(task)),
          // Last: on a phone the columns stack, and the actions come before the story so far.
          task.history?.length ? section(t.deals.historyTitle, 'task-history-card', historyList(task.history)) : null,
        ),
      ),
    );
    if (message) {
      toast(message);
      actionsTitle.focus();
    }
  };

  show(await getTask(id, ctx.signal));
  return root;
}
