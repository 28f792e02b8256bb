// What issue 13 adds to the task page: the conversation of the caller's side and the reviews of
// a done task. The page mounts them; each decides for itself whether the caller sees it.
import type { PersonRef, Task } from '../api/types';
import { t } from '../i18n';
import { href } from '../router';
import type { StoredSession } from '../session';
import { h } from './h';
import { personLink, ratingBadge } from './people';
import { reviewsPanel } from './review';
import { thread, threadHref } from './thread';

/** The states in which the API lets administrators read a task's conversations. */
const ADMIN_READS: readonly string[] = ['frozen', 'disputed'];

/**
 * The executor's own conversation (a question on an open task, or its task's), the customer's with
 * the assignee, or for an administrator the assignee's of a frozen or disputed task, to read.
 */
function threadPanel(task: Task, session: StoredSession | null, signal: AbortSignal): HTMLElement | null {
  if (!session) return null;
  const me = session.accountId;
  const card = (title: string, body: Node): HTMLElement =>
    h('section', { class: 'card', 'data-testid': 'task-thread' }, h('h2', { class: 'card__title' }, title), body);
  if (session.role === 'admin') {
    // Administrators read (never write) the assignee's conversation of a task they must judge.
    if (!task.executor || !ADMIN_READS.includes(task.status)) return null;
    return card(
      t.trust.threadWithName(task.executor.name),
      thread({ taskId: task.id, executorId: task.executor.id, me, canWrite: false, signal }),
    );
  }
  if (session.role === 'executor') {
    const mine = task.executor?.id === me;
    if (task.customer.id === me || (!mine && task.status !== 'actual')) return null;
    return card(t.trust.threadWithName(task.customer.name), thread({ taskId: task.id, executorId: null, me, canWrite: true, signal }));
  }
  if (task.customer.id !== me) return null;
  if (task.executor) {
    return card(
      t.trust.threadWithName(task.executor.name),
      thread({ taskId: task.id, executorId: task.executor.id, me, canWrite: true, signal }),
    );
  }
  // No executor yet: every executor who asked or applied has a conversation of their own.
  return card(
    t.trust.threadCard,
    h(
      'p',
      { class: 'muted' },
      t.trust.conversationsIntro,
      ' ',
      h('a', { href: href('/conversations'), 'data-testid': 'task-conversations' }, t.trust.threadAllConversations),
    ),
  );
}

export function taskTrustPanels(task: Task, session: StoredSession | null, signal: AbortSignal): Array<HTMLElement | null> {
  return [reviewsPanel(task, session, signal), threadPanel(task, session, signal)];
}

/** An applicant in the customer's list: the name (to the profile), the rating, and a way to write to them. */
export function applicantName(taskId: number, executor: PersonRef): HTMLElement[] {
  return [
    h('strong', null, personLink(executor), ' ', ratingBadge(executor.rating, executor.reviews, 'application-rating')),
    h('a', { href: threadHref(taskId, executor.id), 'data-testid': 'application-message' }, t.trust.messageApplicants),
  ];
}
