// Both halves of password reset: the request form, and the new-password form the mailed
// link (`/?token=…#/password-reset`) opens.
import { confirmPasswordReset, requestPasswordReset } from '../api/endpoints';
import type { ValidationDetail } from '../api/types';
import { t } from '../i18n';
import { resetTokenFrom } from '../links';
import { href, type PageContext } from '../router';
import { clearSession } from '../session';
import { createForm, inputField } from '../ui/form';
import { h, fill } from '../ui/h';
import { notice, pageHeader } from '../ui/page';

function requestForm(): Node {
  const card = h('div', { class: 'card' });
  const form = createForm({
    testid: 'reset-request-form',
    submitLabel: t.auth.resetSend,
    fields: [inputField({ name: 'email', label: t.auth.email, type: 'email', autocomplete: 'email', required: true })],
    onSubmit: async (values) => {
      await requestPasswordReset(values.value('email').trim());
      const done = notice(t.auth.resetSent, 'success', 'reset-sent');
      fill(card, done, h('p', null, h('a', { href: href('/login') }, t.auth.toLogin)));
    },
  });
  fill(card, h('p', { class: 'muted' }, t.auth.resetIntro), form.element);
  return h('div', { class: 'narrow stack' }, pageHeader(t.auth.resetTitle), card);
}

function confirmForm(token: string): Node {
  const card = h('div', { class: 'card' });
  const form = createForm({
    testid: 'reset-confirm-form',
    submitLabel: t.auth.resetConfirmSubmit,
    fields: [
      inputField({
        name: 'password',
        label: t.auth.newPassword,
        type: 'password',
        autocomplete: 'new-password',
        required: true,
        hint: t.errors.passwordLength,
      }),
      inputField({ name: 'repeat', label: t.auth.repeatPassword, type: 'password', autocomplete: 'new-password', required: true }),
    ],
    validate: (values) => {
      const problems: ValidationDetail[] = [];
      const password = values.value('password');
      if (password.length < 8 || password.length > 128) problems.push({ path: 'password', message: t.errors.passwordLength });
      if (password !== values.value('repeat')) problems.push({ path: 'repeat', message: t.errors.passwordsDiffer });
      return problems;
    },
    onSubmit: async (values) => {
      await confirmPasswordReset(token, values.value('password'));
      clearSession(); // the server has ended every session of the account
      // The spent token leaves the address bar (and the history entry) with the form.
      if (new URLSearchParams(location.search).has('token'))
        history.replaceState(history.state, '', `${location.pathname}${location.hash}`);
      fill(
        card,
        notice(t.auth.resetDone, 'success', 'reset-done'),
        h('p', null, h('a', { class: 'button button--primary', href: href('/login') }, t.auth.toLogin)),
      );
    },
  });
  fill(card, form.element);
  return h('div', { class: 'narrow stack' }, pageHeader(t.auth.resetConfirmTitle), card);
}

export function render(ctx: PageContext): Node {
  const token = resetTokenFrom(ctx.query);
  return token ? confirmForm(token) : requestForm();
}
