// The entry: draws the frame, then renders the page of the current hash on every change.
import './styles.css';
import { refreshAccount } from './account-status';
import { ApiError, onBlocked, onUnauthenticated } from './api/client';
import { t } from './i18n';
import { createLayout } from './layout';
import { HOME } from './home';
import { routes } from './routes';
import { currentPlace, currentTarget, href, loginHref, matchRoute, navigate, onNavigateSame, type PageContext } from './router';
import { getSession, onSessionChange, setSession } from './session';
import { h, fill } from './ui/h';
import { accountNotices } from './ui/account-notices';
import { errorBox, loading, pageHeader, toast } from './ui/page';

const layout = createLayout();
document.getElementById('app')?.replaceChildren(layout.root);
// Above every page: the block and the consent asked again, as /api/me last said.
const notices = accountNotices();
// The first page waits for it, so a notice never pushes a drawn page down.
const firstStatus = refreshAccount();

let generation = 0;
let controller: AbortController | null = null;
let firstRender = true;

function notFound(): Node {
  return h(
    'div',
    { class: 'stack' },
    pageHeader(t.app.notFoundTitle),
    h('p', null, t.app.notFoundText),
    h('p', null, h('a', { href: href(HOME) }, t.app.toFeed)),
  );
}

function wrongRole(roles: readonly string[]): Node {
  return h(
    'div',
    { class: 'stack', 'data-testid': 'wrong-role' },
    pageHeader(t.errors.wrongRoleTitle),
    h('p', null, t.errors.wrongRole(roles.map((r) => t.roles[r] ?? r).join(', '))),
    h('p', null, h('a', { class: 'button button--primary', href: loginHref(currentTarget()) }, t.errors.loginAs)),
  );
}

async function renderRoute(): Promise<void> {
  const mine = ++generation;
  controller?.abort();
  controller = new AbortController();
  const place = currentPlace();
  layout.update();
  // Every later page looks again, so a block (or its end) shows on the next page, as the API says it.
  if (!firstRender) void refreshAccount();

  if (place.path === '') {
    navigate(HOME, { replace: true });
    return;
  }
  const session = getSession();
  const match = matchRoute(routes, place.path);
  const show = (node: Node): void => {
    if (mine !== generation) return;
    fill(layout.main, notices, node);
    if (!firstRender) {
      window.scrollTo(0, 0);
      (layout.main.querySelector('h1') ?? layout.main).focus({ preventScroll: true });
    }
    firstRender = false;
  };

  if (!match) return show(notFound());
  const { access } = match.route;
  if (access !== 'public' && !session) {
    navigate(loginHref(currentTarget()), { replace: true });
    return;
  }
  if (Array.isArray(access) && session && !access.includes(session.role)) return show(wrongRole(access));

  // A spinner only when the page is slow, so fast pages do not flicker.
  const spinner = window.setTimeout(() => {
    if (mine === generation) fill(layout.main, loading());
  }, 150);
  const ctx: PageContext = { params: match.params, query: place.query, signal: controller.signal, session };
  try {
    const page = await match.route.load();
    const node = await page.render(ctx);
    if (firstRender) await firstStatus;
    show(node);
  } catch (err) {
    if (ctx.signal.aborted || mine !== generation) return;
    const missing = err instanceof ApiError && err.code === 'not_found';
    show(
      h(
        'div',
        { class: 'stack' },
        pageHeader(missing ? t.app.notFoundTitle : t.app.errorTitle),
        errorBox(err, missing ? undefined : () => void renderRoute()),
        h('p', null, h('a', { href: href(HOME) }, t.app.toFeed)),
      ),
    );
  } finally {
    window.clearTimeout(spinner);
  }
}

onNavigateSame(() => void renderRoute());
window.addEventListener('hashchange', () => void renderRoute());

onBlocked(() => void refreshAccount());

onUnauthenticated(() => {
  toast(t.errors.sessionEnded);
  const place = currentPlace();
  if (place.path === 'login') void renderRoute();
  else navigate(loginHref(currentTarget()), { replace: true });
});

// A log in or out in another tab: redraw with the new identity.
let knownToken = getSession()?.token ?? null;
onSessionChange(() => {
  layout.update();
  const token = getSession()?.token ?? null;
  if (token === knownToken) return;
  knownToken = token;
  void refreshAccount();
  const place = currentPlace();
  if (place.path !== 'login' && place.path !== 'register') void renderRoute();
});

// Keeps the header's name fresh and notices a session revoked elsewhere (the 401 does the rest).
let lastCheck = 0;
let firstCheck = true;
async function checkSession(): Promise<void> {
  const session = getSession();
  if (!session || Date.now() - lastCheck < 60_000) return;
  lastCheck = Date.now();
  // At start this is the read the first page waits for; later reads show a new block or consent too.
  const me = firstCheck ? await firstStatus : await refreshAccount();
  firstCheck = false;
  const current = getSession();
  if (!me || !current || current.token !== session.token) return;
  const name = `${me.fname} ${me.sname}`;
  if (current.name !== name) setSession({ ...current, name });
}
window.addEventListener('focus', () => void checkSession());
void checkSession();
void renderRoute();
