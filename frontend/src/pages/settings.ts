// Notification channels, category subscriptions (executors) and the password.
import { errorText } from '../api/client';
import {
  changePassword,
  getNotificationSettings,
  listCategories,
  listSubscriptions,
  putNotificationSettings,
  subscribe,
  unsubscribe,
} from '../api/endpoints';
import type { Category, ValidationDetail } from '../api/types';
import { t } from '../i18n';
import type { PageContext } from '../router';
import { checkboxField, createForm, inputField } from '../ui/form';
import { h, fill, uid } from '../ui/h';
import { empty, loader, loading, pageHeader, section, toast } from '../ui/page';

function notifications(signal: AbortSignal): HTMLElement {
  const body = h('div', null, loading());
  const load = loader(body, signal, async () => {
    const current = await getNotificationSettings(signal);
    const form = createForm({
      testid: 'notifications-form',
      submitLabel: t.app.save,
      fields: [checkboxField({ name: 'email', label: t.settings.email, checked: current.email, testid: 'input-notify-email' })],
      onSubmit: async (values) => {
        // The chat is kept as linked: it changes only through the bot's link or the button below.
        await putNotificationSettings({ email: values.checked('email'), telegramChatId: current.telegramChatId });
        toast(t.app.saved);
      },
    });
    fill(body, form.element, telegram(current.telegramChatId, current.telegramLink ?? null, current.email, load));
  });
  void load();
  return section(t.settings.notificationsTitle, 'notifications', body);
}

/** A chat is linked by pressing Start in the bot through the one-time link; it can be unlinked here. */
function telegram(chat: string | null, link: string | null, email: boolean, reload: () => Promise<void>): HTMLElement {
  const status = h('p', { 'data-testid': 'telegram-status' }, chat ? t.settings.telegramLinked(chat) : t.settings.telegramNone);
  const connect = link
    ? h(
        'a',
        { class: 'button', href: link, target: '_blank', rel: 'noopener noreferrer', 'data-testid': 'telegram-link' },
        t.settings.telegramConnect,
      )
    : null;
  const disconnect = chat
    ? h('button', { type: 'button', class: 'button', 'data-testid': 'telegram-disconnect' }, t.settings.telegramDisconnect)
    : null;
  disconnect?.addEventListener('click', () => {
    void putNotificationSettings({ email, telegramChatId: null }).then(
      () => reload(),
      (err: unknown) => toast(errorText(err)),
    );
  });
  return h(
    'div',
    { class: 'stack', 'data-testid': 'telegram' },
    status,
    h('p', { class: 'muted' }, t.settings.telegramHint),
    h('div', { class: 'row' }, connect, disconnect),
  );
}

function subscriptionToggle(category: Category, on: boolean): HTMLElement {
  const id = uid('sub');
  const box = h('input', { type: 'checkbox', id, checked: on, 'data-testid': 'subscription-toggle', 'data-category-id': category.id });
  const error = h('p', { class: 'field__error', role: 'alert' });
  error.hidden = true;
  box.addEventListener('change', () => {
    const wanted = box.checked;
    box.disabled = true;
    error.hidden = true;
    (wanted ? subscribe(category.id) : unsubscribe(category.id))
      .then(() => toast(wanted ? t.settings.subscribed(category.name) : t.settings.unsubscribed(category.name)))
      .catch((err: unknown) => {
        box.checked = !wanted;
        error.textContent = errorText(err);
        error.hidden = false;
      })
      .finally(() => {
        box.disabled = false;
      });
  });
  return h('li', { class: 'checklist__item' }, h('label', { class: 'choice', for: id }, box, h('span', null, category.name)), error);
}

function subscriptions(signal: AbortSignal): HTMLElement {
  const body = h('div', null, loading());
  const load = loader(body, signal, async () => {
    const [all, mine] = await Promise.all([listCategories(signal), listSubscriptions(signal)]);
    const subscribed = new Set(mine.items.map((c) => c.id));
    if (!all.items.length) return fill(body, empty(t.settings.noCategories));
    fill(
      body,
      h('p', { class: 'muted' }, t.settings.subscriptionsIntro),
      h(
        'ul',
        { class: 'checklist', 'data-testid': 'subscriptions' },
        all.items.map((c) => subscriptionToggle(c, subscribed.has(c.id))),
      ),
    );
  });
  void load();
  return section(t.settings.subscriptionsTitle, 'subscriptions-section', body);
}

function password(): HTMLElement {
  const form = createForm({
    testid: 'password-form',
    submitLabel: t.auth.changePasswordSubmit,
    fields: [
      inputField({
        name: 'currentPassword',
        label: t.auth.currentPassword,
        type: 'password',
        autocomplete: 'current-password',
        required: true,
      }),
      inputField({
        name: 'newPassword',
        label: t.auth.newPassword,
        type: 'password',
        autocomplete: 'new-password',
        required: true,
        hint: t.errors.passwordLength,
      }),
    ],
    validate: (values) => {
      const problems: ValidationDetail[] = [];
      const next = values.value('newPassword');
      if (next && (next.length < 8 || next.length > 128)) problems.push({ path: 'newPassword', message: t.errors.passwordLength });
      return problems;
    },
    onSubmit: async (values) => {
      await changePassword({ currentPassword: values.value('currentPassword'), newPassword: values.value('newPassword') });
      form.element.reset();
      toast(t.auth.passwordChanged);
    },
  });
  return section(t.auth.changePasswordTitle, 'password', form.element);
}

export function render(ctx: PageContext): Node {
  return h(
    'div',
    { class: 'stack' },
    pageHeader(t.settings.title),
    h(
      'div',
      { class: 'grid-2' },
      h('div', { class: 'stack' }, notifications(ctx.signal), password()),
      ctx.session?.role === 'executor' ? subscriptions(ctx.signal) : null,
    ),
  );
}
