// Where the account is logged in: the current session marked, others revocable, log out.
import { listSessions, revokeSession } from '../api/endpoints';
import type { SessionInfo } from '../api/types';
import { t } from '../i18n';
import { logOut } from '../layout';
import type { PageContext } from '../router';
import { actionButton } from '../ui/actions';
import { formatDateTime } from '../ui/format';
import { h, fill } from '../ui/h';
import { badge, empty, loader, loading, pageHeader, toast } from '../ui/page';

/** "Chrome 126 on Windows"-like, from the user agent, without a parser library. */
function deviceName(userAgent: string): string {
  if (!userAgent) return t.sessions.unknownAgent;
  const browser = /(Edg|OPR|YaBrowser|Firefox|Chrome|Chromium|Safari)\/(\d+)/.exec(userAgent);
  const os = /(Windows|Android|iPhone|iPad|Mac OS X|Linux)/.exec(userAgent);
  if (!browser) return userAgent.slice(0, 80);
  const name = { Edg: 'Edge', OPR: 'Opera', YaBrowser: 'Яндекс Браузер' }[browser[1] ?? ''] ?? browser[1];
  return [`${name} ${browser[2]}`, os?.[1]?.replace('Mac OS X', 'macOS')].filter(Boolean).join(' · ');
}

export function render(ctx: PageContext): Node {
  const body = h('div', null, loading());

  const row = (session: SessionInfo): HTMLElement => {
    const action = session.current
      ? h(
          'button',
          { type: 'button', class: 'button button--secondary', 'data-testid': 'session-logout', onclick: () => void logOut() },
          t.sessions.logout,
        )
      : actionButton({
          label: t.sessions.revoke,
          testid: 'session-revoke',
          kind: 'danger',
          run: async () => {
            await revokeSession(session.id);
            toast(t.sessions.revoked);
            void load();
          },
        });
    return h(
      'li',
      {
        class: `list__item row row--wrap${session.current ? ' row--current' : ''}`,
        'data-testid': 'session-row',
        'data-session-id': session.id,
        'data-current': String(session.current),
      },
      h(
        'div',
        { class: 'row__main' },
        h('strong', null, deviceName(session.userAgent), ' ', session.current ? badge('session', 'current', t.sessions.current) : null),
        h(
          'span',
          { class: 'meta' },
          h('span', null, t.roles[session.role] ?? session.role),
          h('span', null, session.ip),
          h('span', null, t.sessions.lastActive(formatDateTime(session.lastActiveAt))),
          h('span', null, t.sessions.createdAt(formatDateTime(session.createdAt))),
        ),
      ),
      h('div', { class: 'row__actions' }, action),
    );
  };

  const load = loader(body, ctx.signal, async () => {
    const { items } = await listSessions(ctx.signal);
    if (!items.length) return fill(body, empty(t.sessions.empty));
    fill(body, h('ul', { class: 'list', 'data-testid': 'sessions-list' }, items.map(row)));
  });
  void load();

  return h(
    'div',
    { class: 'stack' },
    pageHeader(t.sessions.title),
    h('p', { class: 'muted' }, t.sessions.intro),
    h('section', { class: 'card' }, body),
  );
}
