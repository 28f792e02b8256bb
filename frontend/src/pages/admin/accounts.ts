// Blocking: open an account by its number, see whether it is blocked, block it with a reason
// or unblock it with a comment. The appeals queue and every profile lead here too.
import { getProfile } from '../../api/endpoints';
import { t } from '../../i18n';
import { navigate, type PageContext } from '../../router';
import { adminHeader } from '../../ui/admin';
import { h, fill, uid } from '../../ui/h';
import { accountAdminHref, blockPanel } from '../../ui/moderation';
import { loader, loading, section } from '../../ui/page';
import { personLink } from '../../ui/people';

function accountJump(current: string): HTMLElement {
  const id = uid('account');
  const input = h('input', {
    id,
    type: 'text',
    inputmode: 'numeric',
    class: 'field__control field__control--short',
    value: current,
    'data-testid': 'admin-account-id',
    autocomplete: 'off',
  });
  const form = h(
    'form',
    { class: 'inline-form', 'data-testid': 'admin-account-jump' },
    h('label', { for: id, class: 'field__label' }, t.trust.accountNumber),
    input,
    h('button', { type: 'submit', class: 'button button--secondary', 'data-testid': 'admin-account-open' }, t.trust.open),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const value = input.value.trim().replace(/^№/, '');
    if (/^\d+$/.test(value)) navigate(accountAdminHref(Number(value)));
    else input.focus();
  });
  return form;
}

export function render(ctx: PageContext): Node {
  const wanted = ctx.query.get('id') ?? '';
  const accountId = /^\d+$/.test(wanted) ? Number(wanted) : null;
  const body = h('div', { class: 'stack', 'data-testid': 'admin-account' }, accountId ? loading() : null);
  const load = loader(body, ctx.signal, async () => {
    if (!accountId) return;
    const profile = await getProfile(accountId, ctx.signal);
    fill(body, h('p', null, h('strong', null, personLink(profile, 'admin-account-name'))), blockPanel(profile));
  });
  void load();
  return h(
    'div',
    { class: 'stack' },
    adminHeader(t.trust.adminAccountsTitle),
    section(t.trust.accountNumber, null, h('p', { class: 'muted' }, t.trust.adminAccountsIntro), accountJump(wanted), body),
  );
}
