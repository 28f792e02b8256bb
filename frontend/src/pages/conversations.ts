// My conversations, latest activity first: the task, who with, the last message and how many
// of its messages I have not read.
import { myConversations } from '../api/endpoints';
import type { Conversation } from '../api/types';
import { t } from '../i18n';
import type { PageContext } from '../router';
import type { StoredSession } from '../session';
import { formatDateTime } from '../ui/format';
import { h } from '../ui/h';
import { pagedList } from '../ui/list';
import { pageHeader } from '../ui/page';
import { personLink } from '../ui/people';
import { threadHref } from '../ui/thread';

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 140 ? `${flat.slice(0, 139).trimEnd()}…` : flat;
}

function conversationRow(c: Conversation, session: StoredSession | null): HTMLElement {
  // A customer session talks to the executor, an executor session to the customer; an admin's account may be either.
  const others =
    session?.role === 'customer'
      ? [['withExecutor', c.executor] as const]
      : session?.role === 'executor'
        ? [['withCustomer', c.customer] as const]
        : [['withCustomer', c.customer] as const, ['withExecutor', c.executor] as const];
  return h(
    'div',
    {
      class: 'row row--wrap',
      'data-testid': 'conversation-row',
      'data-task-id': c.task.id,
      'data-executor-id': c.executor.id,
      'data-unread': c.unread,
    },
    h(
      'div',
      { class: 'row__main' },
      h('strong', null, h('a', { href: threadHref(c.task.id, c.executor.id), 'data-testid': 'conversation-open' }, c.task.title)),
      h(
        'span',
        { class: 'meta' },
        others.map(([label, person]) => h('span', null, `${t.trust[label]}: `, personLink(person))),
      ),
      h(
        'p',
        { class: 'row__comment', 'data-testid': 'conversation-last' },
        c.lastMessage ? excerpt(c.lastMessage.text) : h('span', { class: 'muted' }, t.trust.noMessagesYet),
      ),
    ),
    h(
      'div',
      { class: 'row__end' },
      c.unread > 0 ? h('span', { class: 'badge badge--unread', 'data-testid': 'conversation-unread' }, t.trust.unread(c.unread)) : null,
      c.lastMessage ? h('time', { class: 'meta', datetime: c.lastMessage.createdAt }, formatDateTime(c.lastMessage.createdAt)) : null,
    ),
  );
}

export function render(ctx: PageContext): Node {
  const list = pagedList({
    testid: 'conversations-list',
    signal: ctx.signal,
    emptyText: t.trust.conversationsEmpty,
    load: (cursor, signal) => myConversations(cursor, signal),
    item: (c) => conversationRow(c, ctx.session),
  });
  return h(
    'div',
    { class: 'stack' },
    pageHeader(t.trust.conversationsTitle),
    h('p', { class: 'muted' }, t.trust.conversationsIntro),
    list.element,
  );
}
