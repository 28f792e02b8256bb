// Due dates (API v2, "Deadlines"): the term and the due date with an "overdue" mark, and the
// customer's remedies while the work is in progress: extend the term, or cancel once it has passed.
import { cancelTask, extendDeadline } from '../api/endpoints';
import type { Task } from '../api/types';
import { t } from '../i18n';
import { actionButton } from './actions';
import { createForm, inputField } from './form';
import { formatDateTime } from './format';
import { h } from './h';
import { disclosure, notice } from './page';

type Show = (task: Task, message?: string) => void;

const DAYS = /^\d{1,3}$/;

/** "12", "365" as days of work, or null when it is not a whole number 1..365. */
export function parseDays(raw: string): number | null {
  const text = raw.trim();
  const days = DAYS.test(text) ? Number(text) : NaN;
  return days >= 1 && days <= 365 ? days : null;
}

function overdueMark(task: Task): HTMLElement | null {
  return task.overdue ? h('span', { class: 'badge badge--overdue', 'data-testid': 'task-overdue' }, t.deals.overdue) : null;
}

/** The term asked for and, once work has started, the due date (for the task's details and its card). */
export function dueDate(task: Task): HTMLElement {
  return h(
    'span',
    { class: 'due', 'data-testid': 'task-due', 'data-due-at': task.dueAt ?? '' },
    task.dueAt
      ? [t.deals.until, ' ', h('time', { datetime: task.dueAt }, formatDateTime(task.dueAt))]
      : task.days
        ? t.deals.daysFromStart(task.days)
        : t.deals.noTerm,
    overdueMark(task),
  );
}

/** The days field of a form (new task, offer, extension); empty is allowed where `required` is not. */
export const daysField = (o: { name?: string; label: string; hint?: string; value?: number | null; required?: boolean }) =>
  inputField({
    name: o.name ?? 'days',
    label: o.label,
    hint: o.hint,
    inputmode: 'numeric',
    maxlength: 3,
    autocomplete: 'off',
    value: o.value ? String(o.value) : '',
    required: o.required,
  });

/** The owner's actions on a task in work: extend the due date; once it has passed, cancel with a full refund. */
export function deadlineActions(task: Task, show: Show): Node[] {
  if (task.status !== 'in_work') return [];
  const days = daysField({ label: t.deals.extendDays, required: true });
  const comment = inputField({ name: 'comment', label: t.deals.extendComment, rows: 2, maxlength: 1000 });
  const extend = createForm({
    testid: 'extend-form',
    fields: [days, comment],
    submitLabel: t.deals.extend,
    validate: (values) => (parseDays(values.value('days')) ? [] : [{ path: 'days', message: t.deals.daysFormat }]),
    onSubmit: async (values, key) =>
      show(await extendDeadline(task.id, parseDays(values.value('days')) ?? 0, values.value('comment').trim(), key), t.deals.extended),
  });
  return [
    task.overdue ? notice(t.deals.overdueHint, 'error', 'overdue-notice') : null,
    disclosure(t.deals.extend, 'task-extend', extend.element),
    task.overdue
      ? actionButton({
          label: t.deals.cancelOverdue,
          testid: 'task-cancel',
          kind: 'danger',
          confirm: t.deals.cancelOverdueConfirm,
          run: async (key) => show(await cancelTask(task.id, key), t.task.cancelled),
        })
      : null,
  ].filter((node): node is HTMLElement => node !== null);
}
