// The admin pages' shared header: title plus "open task №…" (the way to freeze a task that is
// not in the feed) and a status filter that lives in the URL.
import { t } from '../i18n';
import { href, navigate } from '../router';
import { h, uid } from './h';
import { pageHeader } from './page';

function taskJump(): HTMLElement {
  const id = uid('task-jump');
  const input = h('input', {
    id,
    type: 'text',
    inputmode: 'numeric',
    class: 'field__control field__control--short',
    'data-testid': 'admin-task-id',
    autocomplete: 'off',
  });
  const form = h(
    'form',
    { class: 'inline-form', 'data-testid': 'admin-task-jump' },
    h('label', { for: id, class: 'field__label' }, t.admin.openTask),
    input,
    h('button', { type: 'submit', class: 'button button--secondary' }, t.admin.openTaskSubmit),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const value = input.value.trim().replace(/^№/, '');
    if (/^\d+$/.test(value)) navigate(`/tasks/${value}`);
    else input.focus();
  });
  return form;
}

export function adminHeader(title: string): HTMLElement {
  return pageHeader(title, taskJump());
}

export function statusFilter(
  path: string,
  label: string,
  current: string,
  options: Array<{ value: string; label: string }>,
  testid: string,
): HTMLElement {
  const id = uid('filter');
  const select = h(
    'select',
    { id, class: 'field__control', 'data-testid': testid },
    options.map((o) => h('option', { value: o.value, selected: o.value === current }, o.label)),
  );
  select.addEventListener('change', () => navigate(href(path, { status: select.value || 'all' })));
  return h(
    'div',
    { class: 'filters' },
    h('div', { class: 'field field--inline' }, h('label', { class: 'field__label', for: id }, label), select),
  );
}
