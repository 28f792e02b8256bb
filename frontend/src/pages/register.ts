import { login, register } from '../api/endpoints';
import type { Role, ValidationDetail } from '../api/types';
import { t } from '../i18n';
import { homeFor } from '../home';
import { href, navigate, safeTarget, type PageContext } from '../router';
import { setSessionFromLogin } from '../session';
import { consentFields, consentProblems, consentsGiven } from '../ui/consents';
import { createForm, inputField, radioField } from '../ui/form';
import { h } from '../ui/h';
import { pageHeader } from '../ui/page';

const PHONE = /^\+\d{10,15}$/;

export function render(ctx: PageContext): Node {
  const next = safeTarget(ctx.query.get('next'));
  let registered: string | null = null;
  const form = createForm({
    testid: 'register-form',
    submitLabel: t.auth.submitRegister,
    fields: [
      inputField({ name: 'fname', label: t.auth.fname, autocomplete: 'given-name', required: true, maxlength: 30 }),
      inputField({ name: 'sname', label: t.auth.sname, autocomplete: 'family-name', required: true, maxlength: 30 }),
      inputField({ name: 'email', label: t.auth.email, type: 'email', autocomplete: 'email', required: true }),
      inputField({
        name: 'phone',
        label: t.auth.phone,
        type: 'tel',
        autocomplete: 'tel',
        inputmode: 'tel',
        required: true,
        hint: t.auth.phoneHint,
        placeholder: '+79001234567',
      }),
      inputField({
        name: 'password',
        label: t.auth.password,
        type: 'password',
        autocomplete: 'new-password',
        required: true,
        minlength: 8,
        maxlength: 128,
        hint: t.errors.passwordLength,
      }),
      radioField({
        name: 'role',
        label: t.auth.role,
        value: 'customer',
        options: [
          { value: 'customer', label: t.roles.customer ?? 'customer' },
          { value: 'executor', label: t.roles.executor ?? 'executor' },
        ],
      }),
      ...consentFields(),
    ],
    validate: (values) => {
      const problems: ValidationDetail[] = consentProblems(values);
      const phone = values.value('phone').replace(/[\s()-]/g, '');
      if (phone && !PHONE.test(phone)) problems.push({ path: 'phone', message: t.errors.phoneFormat });
      const password = values.value('password');
      if (password && (password.length < 8 || password.length > 128)) problems.push({ path: 'password', message: t.errors.passwordLength });
      return problems;
    },
    onSubmit: async (values) => {
      const email = values.value('email').trim();
      const password = values.value('password');
      const role = values.value('role') as Role;
      // If the account was made but logging in failed, a second press only logs in.
      if (registered !== email) {
        await register({
          email,
          password,
          fname: values.value('fname').trim(),
          sname: values.value('sname').trim(),
          phone: values.value('phone').replace(/[\s()-]/g, ''),
          consents: await consentsGiven(),
        });
        registered = email;
      }
      const answer = await login({ email, password, role });
      setSessionFromLogin(answer);
      navigate(next ?? homeFor(role), { replace: true });
    },
  });
  return h(
    'div',
    { class: 'narrow stack' },
    pageHeader(t.auth.registerTitle),
    h('div', { class: 'card' }, form.element),
    h(
      'p',
      { class: 'links' },
      t.auth.haveAccount,
      ' ',
      h('a', { href: href('/login', { next }), 'data-testid': 'link-login' }, t.nav.login),
    ),
  );
}
