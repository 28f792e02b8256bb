// One conversation of a task (its customer with one executor): the messages oldest at the top,
// older pages loaded above on request, a composer below, and the warning on every message that
// seems to carry a phone, an e-mail or a link (the API's `contact` flag), shown to both parties.
import { listMessages, postMessage } from '../api/endpoints';
import type { Message } from '../api/types';
import { t } from '../i18n';
import { href } from '../router';
import { formatDateTime } from './format';
import { createForm, inputField } from './form';
import { h, fill } from './h';
import { errorBox, loading, notice } from './page';
import { personLink } from './people';

/** The page of one conversation (a customer's with this executor; an executor's own whatever the id). */
export const threadHref = (taskId: number, executorId: number): string => href(`/conversations/${taskId}/${executorId}`);

export interface ThreadOptions {
  taskId: number;
  /** The conversation's executor; null for an executor's session reading its own. */
  executorId: number | null;
  /** The reader's account, whose messages are marked as theirs. */
  me: number;
  canWrite: boolean;
  signal: AbortSignal;
}

function messageItem(message: Message, me: number): HTMLElement {
  const mine = message.from.id === me;
  const contact = message.flags.includes('contact');
  return h(
    'li',
    {
      class: `message${mine ? ' message--mine' : ''}`,
      'data-testid': 'message',
      'data-message-id': message.id,
      'data-mine': String(mine),
      'data-flags': message.flags.join(' '),
    },
    h(
      'p',
      { class: 'meta' },
      mine ? h('strong', null, t.trust.you) : personLink(message.from),
      h('time', { datetime: message.createdAt }, formatDateTime(message.createdAt)),
    ),
    h('p', { class: 'prose message__text', 'data-testid': 'message-text' }, message.text),
    contact ? notice(t.trust.contactWarning, 'error', 'message-contact-warning') : null,
  );
}

export function thread(o: ThreadOptions): HTMLElement {
  const list = h('ol', { class: 'thread__messages', 'data-testid': 'thread-messages' });
  const status = h('div', { class: 'list__status' });
  const older = h(
    'button',
    { type: 'button', class: 'button button--ghost button--small', 'data-testid': 'thread-older' },
    t.trust.threadOlder,
  );
  const refresh = h(
    'button',
    { type: 'button', class: 'button button--ghost button--small', 'data-testid': 'thread-refresh' },
    t.trust.threadRefresh,
  );
  const shown = new Set<number>();
  let cursor: string | null = null;
  older.hidden = true;

  const place = (messages: Message[], where: 'top' | 'bottom'): void => {
    const fresh = messages.filter((m) => !shown.has(m.id)).sort((a, b) => a.id - b.id);
    for (const m of fresh) shown.add(m.id);
    const items = fresh.map((m) => messageItem(m, o.me));
    if (where === 'top') list.prepend(...items);
    else list.append(...items);
    status.replaceChildren();
    if (shown.size === 0) fill(status, h('p', { class: 'state state--empty', 'data-testid': 'thread-empty' }, t.trust.threadEmpty));
  };

  /** `first`: the newest page (at start, and to see new messages); otherwise the page before the oldest shown. */
  const load = async (first: boolean): Promise<void> => {
    older.hidden = true;
    if (shown.size === 0) fill(status, loading());
    try {
      const page = await listMessages(o.taskId, o.executorId, first ? null : cursor, o.signal);
      // A refresh keeps the older pages already shown and their cursor.
      if (!first || shown.size === 0) cursor = page.nextCursor ?? null;
      place(page.items, first && shown.size > 0 ? 'bottom' : 'top');
    } catch (err) {
      if (!o.signal.aborted)
        fill(
          status,
          errorBox(err, () => void load(first)),
        );
    } finally {
      older.hidden = cursor === null;
    }
  };
  older.addEventListener('click', () => void load(false));
  refresh.addEventListener('click', () => void load(true));

  const text = inputField({
    name: 'text',
    label: t.trust.messageLabel,
    rows: 3,
    required: true,
    maxlength: 2000,
    hint: t.trust.messageHint,
    testid: 'input-message-text',
  });
  const composer = o.canWrite
    ? createForm({
        testid: 'message-form',
        submitLabel: t.trust.send,
        fields: [text],
        footer: refresh,
        onSubmit: async (values, key) => {
          const body = { text: values.value('text').trim(), ...(o.executorId === null ? {} : { executorId: o.executorId }) };
          place([await postMessage(o.taskId, body, key)], 'bottom');
          (text.focusTarget as HTMLTextAreaElement).value = '';
        },
      }).element
    : h('div', { class: 'form__actions' }, refresh);

  void load(true);
  return h(
    'div',
    { class: 'thread stack', 'data-testid': 'thread', 'data-task-id': o.taskId, 'data-executor-id': o.executorId ?? o.me },
    h('div', { class: 'thread__older' }, older),
    list,
    status,
    composer,
  );
}
