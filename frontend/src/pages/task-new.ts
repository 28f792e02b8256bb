import { ApiError } from '../api/client';
import { createTask, getMe, listCategories } from '../api/endpoints';
import type { Category, ValidationDetail } from '../api/types';
import { t } from '../i18n';
import { href, navigate, type PageContext } from '../router';
import { parseAmountInput } from '../ui/format';
import { daysField, parseDays } from '../ui/deadline';
import { createForm, inputField, radioField, selectField, type Field } from '../ui/form';
import { h, fill } from '../ui/h';
import { loader, loading, money, pageHeader, stat } from '../ui/page';

const TITLE_MAX = 100;
const DESCRIPTION_MAX = 1000;

/** "12 / 100" under a text field, announced politely as the user types. */
function counter(field: Field, max: number): void {
  const control = field.focusTarget as HTMLInputElement | HTMLTextAreaElement;
  const out = h('span', { class: 'field__counter', 'aria-live': 'polite' });
  const update = (): void => {
    out.textContent = t.newTask.counter(control.value.length, max);
  };
  control.addEventListener('input', update);
  update();
  field.root.appendChild(out);
}

function balanceCard(signal: AbortSignal): HTMLElement {
  const body = h('div', { class: 'stats' }, loading());
  const load = loader(body, signal, async () => {
    fill(body, loading());
    const me = await getMe(signal);
    fill(
      body,
      stat(t.newTask.balance, money(me.balance, 'balance-value')),
      stat(t.newTask.held, money(me.balanceHeld, 'balance-held-value')),
      h('a', { class: 'button button--secondary', href: href('/balance'), 'data-testid': 'new-task-topup' }, t.newTask.topUp),
    );
  });
  void load();
  return h('section', { class: 'card', 'data-testid': 'new-task-balance' }, body);
}

export async function render(ctx: PageContext): Promise<Node> {
  const categories: Category[] = (await listCategories(ctx.signal)).items;
  const title = inputField({ name: 'title', label: t.newTask.taskTitle, required: true, maxlength: TITLE_MAX });
  const description = inputField({
    name: 'description',
    label: t.newTask.description,
    rows: 6,
    required: true,
    maxlength: DESCRIPTION_MAX,
    hint: t.newTask.descriptionHint,
  });
  counter(title, TITLE_MAX);
  counter(description, DESCRIPTION_MAX);
  const balance = balanceCard(ctx.signal);

  const form = createForm({
    testid: 'new-task-form',
    submitLabel: t.newTask.submit,
    fields: [
      title,
      description,
      inputField({
        name: 'reward',
        label: t.newTask.reward,
        inputmode: 'decimal',
        required: true,
        hint: t.newTask.rewardHint,
        autocomplete: 'off',
      }),
      selectField({
        name: 'categoryId',
        label: t.newTask.category,
        required: true,
        value: '',
        options: [{ value: '', label: t.newTask.chooseCategory }, ...categories.map((c) => ({ value: String(c.id), label: c.name }))],
      }),
      radioField({
        name: 'assignment',
        label: t.newTask.assignment,
        value: 'first',
        hint: t.newTask.assignmentHint,
        options: [
          { value: 'first', label: t.assignment.first ?? 'first' },
          { value: 'choose', label: t.assignment.choose ?? 'choose' },
        ],
      }),
      daysField({ label: t.deals.days, hint: t.deals.daysHint }),
    ],
    validate: (values) => {
      const problems: ValidationDetail[] = [];
      if (values.value('reward') && !parseAmountInput(values.value('reward')))
        problems.push({ path: 'reward', message: t.errors.amountFormat });
      if (values.value('days').trim() && !parseDays(values.value('days'))) problems.push({ path: 'days', message: t.deals.daysFormat });
      return problems;
    },
    onSubmit: async (values, key) => {
      try {
        const task = await createTask(
          {
            title: values.value('title').trim(),
            description: values.value('description').trim(),
            reward: parseAmountInput(values.value('reward')) ?? values.value('reward'),
            categoryId: Number(values.value('categoryId')),
            assignment: values.value('assignment') === 'choose' ? 'choose' : 'first',
            days: parseDays(values.value('days')),
          },
          key,
        );
        navigate(`/tasks/${task.id}`);
      } catch (err) {
        // Point at the money: the reward field is what the user can change.
        if (err instanceof ApiError && err.code === 'insufficient_funds' && err.details.length === 0) {
          throw new ApiError(err.status, err.code, err.message, [{ path: 'reward', message: t.newTask.short }], err.requestId);
        }
        throw err;
      }
    },
  });
  return h(
    'div',
    { class: 'stack' },
    pageHeader(t.newTask.title),
    h(
      'div',
      { class: 'task-layout task-layout--form' },
      h('section', { class: 'card' }, form.element),
      h('div', { class: 'stack' }, balance),
    ),
  );
}
