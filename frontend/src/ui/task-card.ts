// A task in a list (feed, my tasks): title link, reward, status, category, how it is assigned.
import type { Task } from '../api/types';
import { t } from '../i18n';
import { href } from '../router';
import { dueDate } from './deadline';
import { formatDateTime } from './format';
import { h } from './h';
import { badge, money } from './page';
import { personLink, ratingBadge } from './people';

export function taskStatusBadge(status: string): HTMLElement {
  return badge('task', status, t.status[status] ?? status);
}

function excerpt(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1).trimEnd()}…` : flat;
}

export function taskCard(task: Task): HTMLElement {
  return h(
    'article',
    { class: 'task-card', 'data-testid': 'task-card', 'data-task-id': task.id },
    h(
      'div',
      { class: 'task-card__head' },
      // Lists of cards sit right under the page's h1 (feed, my tasks): the next level down.
      h('h2', { class: 'task-card__title' }, h('a', { href: href(`/tasks/${task.id}`), 'data-testid': 'task-title' }, task.title)),
      money(task.reward, 'task-reward'),
    ),
    h('p', { class: 'task-card__excerpt' }, excerpt(task.description, 180)),
    h(
      'p',
      { class: 'meta' },
      taskStatusBadge(task.status),
      h('span', null, task.category.name),
      h('span', null, t.assignment[task.assignment] ?? task.assignment),
      h(
        'span',
        null,
        personLink(task.customer, 'task-card-customer'),
        ' ',
        ratingBadge(task.customer.rating, task.customer.reviews, 'task-card-customer-rating'),
      ),
      h('time', { datetime: task.createdAt }, formatDateTime(task.createdAt)),
      task.dueAt ? dueDate(task) : null,
    ),
  );
}
