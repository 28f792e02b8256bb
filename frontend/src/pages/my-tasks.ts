import { myTasks } from '../api/endpoints';
import { TASK_STATUSES } from '../api/types';
import { t } from '../i18n';
import { href, navigate, type PageContext } from '../router';
import { h, uid } from '../ui/h';
import { pagedList } from '../ui/list';
import { pageHeader } from '../ui/page';
import { taskCard } from '../ui/task-card';

export function render(ctx: PageContext): Node {
  const wanted = ctx.query.get('status');
  const status = TASK_STATUSES.find((s) => s === wanted) ?? null;
  const isCustomer = ctx.session?.role === 'customer';

  const selectId = uid('status');
  const select = h(
    'select',
    { id: selectId, class: 'field__control', 'data-testid': 'my-tasks-status' },
    h('option', { value: '' }, t.app.all),
    TASK_STATUSES.map((s) => h('option', { value: s, selected: s === status }, t.status[s] ?? s)),
  );
  select.addEventListener('change', () => navigate(href('/my/tasks', { status: select.value || null })));

  const list = pagedList({
    testid: 'my-tasks-list',
    signal: ctx.signal,
    emptyText: isCustomer ? t.myTasks.emptyCustomer : t.myTasks.emptyExecutor,
    load: (cursor, signal) => myTasks(status, cursor, signal),
    item: taskCard,
  });

  const aside = isCustomer
    ? h('a', { class: 'button button--primary', href: href('/tasks/new'), 'data-testid': 'my-tasks-new' }, t.nav.newTask)
    : h('a', { class: 'button button--secondary', href: href('/feed') }, t.nav.feed);
  return h(
    'div',
    { class: 'stack' },
    pageHeader(t.myTasks.title, aside),
    h(
      'div',
      { class: 'filters' },
      h('div', { class: 'field field--inline' }, h('label', { class: 'field__label', for: selectId }, t.myTasks.status), select),
    ),
    list.element,
  );
}
