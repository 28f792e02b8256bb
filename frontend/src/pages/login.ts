import { login, logoutToken } from '../api/endpoints';
import type { Role } from '../api/types';
import { t } from '../i18n';
import { PASSWORD_RESET_PATH } from '../links';
import { homeFor } from '../home';
import { href, navigate, safeTarget, type PageContext } from '../router';
import { getSession, setSessionFromLogin } from '../session';
import { createForm, inputField, radioField } from '../ui/form';
import { h } from '../ui/h';
import { pageHeader } from '../ui/page';

const ROLES: Role[] = ['customer', 'executor', 'admin'];

export function render(ctx: PageContext): Node {
  const next = safeTarget(ctx.query.get('next'));
  const wanted = ctx.query.get('role');
  const role = ROLES.find((r) => r === wanted) ?? ctx.session?.role ?? 'customer';
  const form = createForm({
    testid: 'login-form',
    submitLabel: t.auth.submitLogin,
    fields: [
      inputField({ name: 'email', label: t.auth.email, type: 'email', autocomplete: 'username', required: true }),
      inputField({ name: 'password', label: t.auth.password, type: 'password', autocomplete: 'current-password', required: true }),
      radioField({
        name: 'role',
        label: t.auth.role,
        value: role,
        hint: t.auth.roleHint,
        options: ROLES.map((r) => ({ value: r, label: t.roles[r] ?? r })),
      }),
    ],
    onSubmit: async (values) => {
      const answer = await login({
        email: values.value('email').trim(),
        password: values.value('password'),
        role: values.value('role') as Role,
      });
      const previous = getSession();
      setSessionFromLogin(answer);
      // Logging in again (say, in another role) ends the session it replaces.
      if (previous && previous.token !== answer.token) logoutToken(previous.token).catch(() => undefined);
      navigate(next ?? homeFor(answer.session.role), { replace: true });
    },
  });
  return h(
    'div',
    { class: 'narrow stack' },
    pageHeader(t.auth.loginTitle),
    h('div', { class: 'card' }, form.element),
    h(
      'p',
      { class: 'links' },
      h('a', { href: href(`/${PASSWORD_RESET_PATH}`), 'data-testid': 'link-forgot' }, t.auth.forgot),
      h('span', null, t.auth.noAccount, ' ', h('a', { href: href('/register', { next }), 'data-testid': 'link-register' }, t.nav.register)),
    ),
  );
}
