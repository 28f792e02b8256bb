// Action buttons: one click (optionally confirmed inline), or a comment form that opens in place.
import { NetworkError, errorText, newIdempotencyKey } from '../api/client';
import { t } from '../i18n';
import { h, fill } from './h';
import { createForm, inputField } from './form';

type Kind = 'primary' | 'secondary' | 'danger';

export interface ActionOptions {
  label: string;
  testid: string;
  kind?: Kind;
  /** Asks again in place before running (for refunds, giving a task back…). */
  confirm?: string;
  run: (idempotencyKey: string) => Promise<void>;
}

export function actionButton(o: ActionOptions): HTMLElement {
  const button = h('button', { type: 'button', class: `button button--${o.kind ?? 'secondary'}`, 'data-testid': o.testid }, o.label);
  const panel = h('div', { class: 'action__panel' });
  const root = h('div', { class: 'action' }, button, panel);
  let idempotencyKey = newIdempotencyKey();

  const run = async (trigger: HTMLButtonElement): Promise<void> => {
    trigger.disabled = true;
    root.setAttribute('aria-busy', 'true');
    try {
      await o.run(idempotencyKey);
      idempotencyKey = newIdempotencyKey();
    } catch (err) {
      if (!(err instanceof NetworkError)) idempotencyKey = newIdempotencyKey();
      if (!root.isConnected) return;
      const alert = h('p', { class: 'alert alert--error', role: 'alert', tabindex: '-1', 'data-testid': 'action-error' }, errorText(err));
      fill(panel, alert);
      alert.focus();
    } finally {
      trigger.disabled = false;
      root.removeAttribute('aria-busy');
    }
  };

  button.addEventListener('click', () => {
    if (!o.confirm) {
      void run(button);
      return;
    }
    const yes = h(
      'button',
      { type: 'button', class: `button button--${o.kind === 'danger' ? 'danger' : 'primary'}`, 'data-testid': `${o.testid}-confirm` },
      t.task.confirm,
    );
    const no = h('button', { type: 'button', class: 'button button--ghost' }, t.app.cancel);
    const box = h(
      'div',
      { class: 'confirm', role: 'group', 'aria-label': o.label },
      h('p', null, o.confirm),
      h('div', { class: 'form__actions' }, yes, no),
    );
    yes.addEventListener('click', () => void run(yes));
    no.addEventListener('click', () => {
      panel.replaceChildren();
      button.hidden = false;
      button.focus();
    });
    button.hidden = true;
    fill(panel, box);
    yes.focus();
  });
  return root;
}

export interface CommentActionOptions {
  label: string;
  testid: string;
  commentLabel: string;
  required: boolean;
  kind?: Kind;
  run: (comment: string, idempotencyKey: string) => Promise<void>;
}

/** A button that opens a small form with a comment; the server's errors land on the comment. */
export function commentAction(o: CommentActionOptions): HTMLElement {
  const button = h(
    'button',
    { type: 'button', class: `button button--${o.kind ?? 'secondary'}`, 'aria-expanded': 'false', 'data-testid': o.testid },
    o.label,
  );
  const panel = h('div', { class: 'action__panel' });
  const root = h('div', { class: 'action' }, button, panel);

  button.addEventListener('click', () => {
    const comment = inputField({
      name: 'comment',
      label: o.commentLabel,
      rows: 3,
      required: o.required,
      maxlength: 1000,
      testid: `${o.testid}-comment`,
    });
    const close = h('button', { type: 'button', class: 'button button--ghost' }, t.app.cancel);
    const form = createForm({
      testid: `${o.testid}-form`,
      submitTestid: `${o.testid}-submit`,
      fields: [comment],
      submitLabel: o.label,
      submitKind: o.kind === 'danger' ? 'danger' : 'primary',
      footer: close,
      onSubmit: (values, key) => o.run(values.value('comment').trim(), key),
    });
    close.addEventListener('click', () => {
      panel.replaceChildren();
      button.hidden = false;
      button.setAttribute('aria-expanded', 'false');
      button.focus();
    });
    button.hidden = true;
    button.setAttribute('aria-expanded', 'true');
    fill(panel, form.element);
    comment.focusTarget.focus();
  });
  return root;
}
