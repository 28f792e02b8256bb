// One conversation on a page of its own (from the conversations list): the task it is about,
// who it is with, and the thread.
import { ApiError } from '../api/client';
import { getProfile, getTask } from '../api/endpoints';
import { t } from '../i18n';
import { href, type PageContext } from '../router';
import { h } from '../ui/h';
import { pageHeader } from '../ui/page';
import { personLink } from '../ui/people';
import { thread } from '../ui/thread';

export async function render(ctx: PageContext): Promise<Node> {
  const taskId = Number(ctx.params.taskId);
  const executorId = Number(ctx.params.executorId);
  const session = ctx.session;
  if (!session || ![taskId, executorId].every((n) => Number.isSafeInteger(n) && n > 0))
    throw new ApiError(404, 'not_found', t.app.notFoundText);
  // An executor's session reads its own conversation, whatever the address names.
  const asExecutor = session.role === 'executor';
  const [task, executor] = await Promise.all([getTask(taskId, ctx.signal), asExecutor ? null : getProfile(executorId, ctx.signal)]);
  const other = asExecutor ? task.customer : { id: executorId, name: executor?.name ?? '' };
  return h(
    'div',
    { class: 'stack' },
    pageHeader(t.trust.threadTitle(task.title)),
    h(
      'dl',
      { class: 'details card' },
      h('dt', null, t.trust.threadTask),
      h('dd', null, h('a', { href: href(`/tasks/${task.id}`), 'data-testid': 'thread-task' }, task.title)),
      h('dt', null, t.trust.threadWith),
      h('dd', null, personLink(other, 'thread-with')),
    ),
    h(
      'section',
      { class: 'card' },
      thread({
        taskId,
        executorId: asExecutor ? null : executorId,
        me: session.accountId,
        canWrite: session.role !== 'admin',
        signal: ctx.signal,
      }),
    ),
    h('p', null, h('a', { href: href('/conversations') }, t.trust.threadAllConversations)),
  );
}
