// The error log: what failed, where, and the request id to find it in the logs.
import { adminErrors } from '../../api/endpoints';
import type { ErrorLogEntry } from '../../api/types';
import { t } from '../../i18n';
import type { PageContext } from '../../router';
import { adminHeader } from '../../ui/admin';
import { formatDateTime } from '../../ui/format';
import { h } from '../../ui/h';
import { pagedList } from '../../ui/list';

function errorRow(entry: ErrorLogEntry): HTMLElement {
  return h(
    'div',
    { class: 'row row--wrap', 'data-testid': 'error-row' },
    h(
      'div',
      { class: 'row__main' },
      h('strong', { class: 'mono' }, entry.route),
      h('p', { class: 'row__comment' }, entry.message),
      h(
        'span',
        { class: 'meta' },
        h('time', { datetime: entry.createdAt }, formatDateTime(entry.createdAt)),
        entry.status ? h('span', null, String(entry.status)) : null,
        entry.code ? h('span', { class: 'mono' }, entry.code) : null,
        h('span', null, `${t.admin.requestId}: `, h('code', { class: 'mono' }, entry.requestId)),
      ),
    ),
  );
}

export function render(ctx: PageContext): Node {
  const list = pagedList({
    testid: 'admin-errors-list',
    signal: ctx.signal,
    emptyText: t.admin.errorsEmpty,
    load: (cursor, s) => adminErrors(cursor, s),
    item: errorRow,
  });
  return h('div', { class: 'stack' }, adminHeader(t.admin.errorsTitle), list.element);
}
