// The frame around every page: brand, role-aware navigation, who is logged in, log out.
import { errorText, NetworkError } from './api/client';
import { logout } from './api/endpoints';
import type { Role } from './api/types';
import { t } from './i18n';
import { currentPlace, href, navigate } from './router';
import { clearSession, getSession } from './session';
import { h, fill } from './ui/h';
import { toast } from './ui/page';

interface NavItem {
  path: string;
  label: string;
  testid: string;
}

const item = (path: string, label: string, testid: string): NavItem => ({ path, label, testid });

const NAV: Record<Role | 'guest', NavItem[]> = {
  guest: [
    item('/feed', t.nav.feed, 'nav-feed'),
    item('/login', t.nav.login, 'nav-login'),
    item('/register', t.nav.register, 'nav-register'),
  ],
  customer: [
    item('/feed', t.nav.feed, 'nav-feed'),
    item('/tasks/new', t.nav.newTask, 'nav-new-task'),
    item('/my/tasks', t.nav.myTasks, 'nav-my-tasks'),
    item('/balance', t.nav.balance, 'nav-balance'),
    item('/settings', t.nav.settings, 'nav-settings'),
    item('/sessions', t.nav.sessions, 'nav-sessions'),
  ],
  executor: [
    item('/feed', t.nav.feed, 'nav-feed'),
    item('/my/tasks', t.nav.myTasks, 'nav-my-tasks'),
    item('/salary', t.nav.salary, 'nav-salary'),
    item('/settings', t.nav.settings, 'nav-settings'),
    item('/sessions', t.nav.sessions, 'nav-sessions'),
  ],
  admin: [
    item('/feed', t.nav.feed, 'nav-feed'),
    item('/admin/payouts', t.nav.adminPayouts, 'nav-admin-payouts'),
    item('/admin/stats', t.nav.adminStats, 'nav-admin-stats'),
    item('/admin/errors', t.nav.adminErrors, 'nav-admin-errors'),
    item('/admin/jobs', t.nav.adminJobs, 'nav-admin-jobs'),
    item('/settings', t.nav.settings, 'nav-settings'),
    item('/sessions', t.nav.sessions, 'nav-sessions'),
    // deals
    item('/admin/disputes', t.nav.adminDisputes, 'nav-admin-disputes'),
  ],
};
// trust
NAV.customer.push(item('/conversations', t.trust.navConversations, 'nav-conversations'));
NAV.executor.push(item('/conversations', t.trust.navConversations, 'nav-conversations'));
NAV.admin.push(
  item('/admin/appeals', t.trust.navAppeals, 'nav-admin-appeals'),
  item('/admin/accounts', t.trust.navAccounts, 'nav-admin-accounts'),
);

export async function logOut(): Promise<void> {
  try {
    await logout();
  } catch (err) {
    // Without an answer the token may still be alive: say so and keep it, so the user can retry.
    if (err instanceof NetworkError) {
      toast(errorText(err));
      return;
    }
  }
  clearSession();
  navigate('/login', { replace: true });
}

export interface Layout {
  root: HTMLElement;
  main: HTMLElement;
  update: () => void;
}

export function createLayout(): Layout {
  const main = h('main', { id: 'main', class: 'main', tabindex: '-1' });
  const navList = h('ul', { class: 'nav__list' });
  const nav = h('nav', { id: 'site-nav', class: 'nav', 'aria-label': t.app.mainNav }, navList);
  const userBox = h('div', { class: 'userbox' });
  const toggle = h(
    'button',
    { type: 'button', class: 'topbar__toggle', 'aria-expanded': 'false', 'aria-controls': 'site-nav' },
    h('span', { class: 'burger', 'aria-hidden': 'true' }),
    t.app.menu,
  );
  const topbar = h(
    'header',
    { class: 'topbar' },
    h(
      'div',
      { class: 'topbar__inner' },
      h('a', { class: 'brand', href: href('/feed') }, h('span', { class: 'brand__mark', 'aria-hidden': 'true' }, 'e'), t.app.name),
      toggle,
      nav,
      userBox,
    ),
  );
  const skip = h('a', { class: 'skip-link', href: '#main' }, t.app.skipToContent);
  // The skip link must not change the hash route.
  skip.addEventListener('click', (event) => {
    event.preventDefault();
    main.focus();
  });
  const setOpen = (open: boolean): void => {
    topbar.classList.toggle('topbar--open', open);
    toggle.setAttribute('aria-expanded', String(open));
  };
  toggle.addEventListener('click', () => setOpen(!topbar.classList.contains('topbar--open')));

  const update = (): void => {
    setOpen(false);
    const session = getSession();
    const place = `/${currentPlace().path}`;
    fill(
      navList,
      NAV[session?.role ?? 'guest'].map((entry) => {
        const current =
          place === entry.path || (entry.path !== '/feed' && place.startsWith(`${entry.path}/`) && entry.path !== '/tasks/new');
        return h(
          'li',
          null,
          h(
            'a',
            { href: href(entry.path), class: 'nav__link', 'aria-current': current ? 'page' : null, 'data-testid': entry.testid },
            entry.label,
          ),
        );
      }),
    );
    if (session) {
      const out = h(
        'button',
        { type: 'button', class: 'button button--ghost button--small', 'data-testid': 'logout-button' },
        t.nav.logout,
      );
      out.addEventListener('click', () => void logOut());
      fill(
        userBox,
        h(
          'span',
          { class: 'userbox__who', 'data-testid': 'current-user', 'data-role': session.role },
          h(
            'a',
            {
              class: 'userbox__name',
              title: session.name,
              href: href(`/users/${session.accountId}`),
              'data-testid': 'current-user-profile',
            },
            session.name,
          ),
          h('span', { class: 'badge badge--role' }, t.roles[session.role] ?? session.role),
        ),
        out,
      );
    } else {
      userBox.replaceChildren();
    }
  };

  const toastRegion = h('div', { id: 'toast', class: 'toast', 'aria-live': 'polite', role: 'status' });
  const footer = h('footer', { class: 'footer' }, h('p', null, `${t.app.name} · ${t.app.tagline}`));
  const root = h('div', { class: 'app' }, skip, topbar, main, footer, toastRegion);
  update();
  return { root, main, update };
}
