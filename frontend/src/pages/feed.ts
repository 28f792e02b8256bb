import { feed, listCategories } from '../api/endpoints';
import type { Category } from '../api/types';
import { t } from '../i18n';
import { href, navigate, type PageContext } from '../router';
import { h, uid } from '../ui/h';
import { pagedList } from '../ui/list';
import { pageHeader } from '../ui/page';
import { taskCard } from '../ui/task-card';

export async function render(ctx: PageContext): Promise<Node> {
  const category = ctx.query.get('category');
  let categories: Category[] = [];
  try {
    categories = (await listCategories(ctx.signal)).items;
  } catch {
    // the feed still works unfiltered; the filter just has no choices
  }

  const selectId = uid('category');
  const select = h(
    'select',
    { id: selectId, class: 'field__control', 'data-testid': 'feed-category' },
    h('option', { value: '' }, t.feed.allCategories),
    categories.map((c) => h('option', { value: String(c.id), selected: String(c.id) === category }, c.name)),
  );
  select.addEventListener('change', () => navigate(href('/feed', { category: select.value || null })));

  const list = pagedList({
    testid: 'feed-list',
    signal: ctx.signal,
    emptyText: t.feed.empty,
    load: (cursor, signal) => feed(category, cursor, signal),
    item: taskCard,
  });

  const create =
    ctx.session?.role === 'customer'
      ? h('a', { class: 'button button--primary', href: href('/tasks/new'), 'data-testid': 'feed-new-task' }, t.feed.newTask)
      : null;
  return h(
    'div',
    { class: 'stack' },
    pageHeader(t.feed.title, create),
    h(
      'div',
      { class: 'filters' },
      h('div', { class: 'field field--inline' }, h('label', { class: 'field__label', for: selectId }, t.feed.category), select),
    ),
    list.element,
  );
}
