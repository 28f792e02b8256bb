// A task's history (API v2): each step with when, who (or "automatically") and its comment.
import type { HistoryItem } from '../api/types';
import { t } from '../i18n';
import { formatDateTime } from './format';
import { h } from './h';
import { empty } from './page';

export function historyList(items: readonly HistoryItem[]): HTMLElement {
  if (!items.length) return empty(t.deals.historyEmpty);
  return h(
    'ol',
    { class: 'list', 'data-testid': 'task-history' },
    items.map((step) =>
      h(
        'li',
        { class: 'list__item row row--wrap', 'data-testid': 'history-item', 'data-action': step.action },
        h(
          'div',
          { class: 'row__main' },
          h('span', null, h('strong', null, step.by?.name ?? t.deals.system), ' ', t.deals.actions[step.action] ?? step.action),
          step.comment ? h('p', { class: 'row__comment' }, step.comment) : null,
        ),
        h('time', { class: 'meta', datetime: step.at }, formatDateTime(step.at)),
      ),
    ),
  );
}
