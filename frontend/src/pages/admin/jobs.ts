// Background jobs (notifications and the like); a failed one can be driven again.
import { adminJobs, retryJob } from '../../api/endpoints';
import type { Job } from '../../api/types';
import { t } from '../../i18n';
import type { PageContext } from '../../router';
import { actionButton } from '../../ui/actions';
import { adminHeader, statusFilter } from '../../ui/admin';
import { formatDateTime } from '../../ui/format';
import { h } from '../../ui/h';
import { pagedList, type PagedList } from '../../ui/list';
import { badge, toast } from '../../ui/page';

const STATUSES = ['failed', 'pending', 'running', 'done'];

export function render(ctx: PageContext): Node {
  const wanted = ctx.query.get('status') ?? 'failed';
  const status = wanted === 'all' ? '' : STATUSES.includes(wanted) ? wanted : 'failed';
  let list: PagedList | null = null;

  const jobRow = (job: Job): HTMLElement =>
    h(
      'div',
      { class: 'row row--wrap', 'data-testid': 'job-row', 'data-status': job.status },
      h(
        'div',
        { class: 'row__main' },
        h('strong', { class: 'mono' }, `#${job.id} ${job.type}`),
        job.lastError ? h('p', { class: 'row__comment' }, job.lastError) : null,
        h(
          'span',
          { class: 'meta' },
          h('time', { datetime: job.createdAt }, formatDateTime(job.createdAt)),
          job.attempts !== undefined ? h('span', null, t.admin.attempts(job.attempts)) : null,
        ),
      ),
      h('div', { class: 'row__end' }, badge('job', job.status, t.admin.jobStatus[job.status] ?? job.status)),
      job.status === 'failed'
        ? h(
            'div',
            { class: 'row__actions' },
            actionButton({
              label: t.admin.retry,
              testid: 'job-retry',
              kind: 'primary',
              run: async () => {
                await retryJob(job.id);
                toast(t.admin.retried);
                list?.reload();
              },
            }),
          )
        : null,
    );

  list = pagedList({
    testid: 'admin-jobs-list',
    signal: ctx.signal,
    emptyText: t.admin.jobsEmpty,
    load: (cursor, s) => adminJobs(status || null, cursor, s),
    item: jobRow,
  });
  return h(
    'div',
    { class: 'stack' },
    adminHeader(t.admin.jobsTitle),
    statusFilter(
      '/admin/jobs',
      t.admin.status,
      status,
      [...STATUSES.map((s) => ({ value: s, label: t.admin.jobStatus[s] ?? s })), { value: '', label: t.app.all }],
      'admin-jobs-status',
    ),
    list.element,
  );
}
