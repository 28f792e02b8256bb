// Forms: labelled fields, one submit path, errors from the contract shown where they belong
// (error.message above the button, each details[].message under the field its path names).
import { ApiError, NetworkError, errorText, newIdempotencyKey } from '../api/client';
import type { ValidationDetail } from '../api/types';
import { t } from '../i18n';
import { h, fill, uid, type Child } from './h';

export interface FieldOptions {
  name: string;
  label: string;
  type?: string;
  value?: string;
  required?: boolean;
  autocomplete?: string;
  inputmode?: string;
  placeholder?: string;
  hint?: string;
  maxlength?: number;
  minlength?: number;
  /** Textarea rows; makes the field a textarea. */
  rows?: number;
  testid?: string;
}

export interface Choice {
  value: string;
  label: string;
}

export interface Field {
  name: string;
  root: HTMLElement;
  focusTarget: HTMLElement;
  hint: HTMLElement | null;
  value: () => string;
  checked: () => boolean;
  setError: (message: string | null) => void;
}

function errorSlot(id: string, name: string): HTMLElement {
  const el = h('p', { class: 'field__error', id, 'data-testid': `field-error-${name}` });
  el.hidden = true;
  return el;
}

function wire(
  name: string,
  root: HTMLElement,
  controls: HTMLElement[],
  hint: HTMLElement | null,
  error: HTMLElement,
  value: () => string,
  checked: () => boolean,
): Field {
  const describe = (withError: boolean): void => {
    const ids = [hint?.id, withError ? error.id : undefined].filter(Boolean).join(' ');
    for (const control of controls) {
      if (ids) control.setAttribute('aria-describedby', ids);
      else control.removeAttribute('aria-describedby');
    }
  };
  describe(false);
  const focusTarget = controls[0] ?? root;
  return {
    name,
    root,
    focusTarget,
    hint,
    value,
    checked,
    setError(message) {
      error.textContent = message ?? '';
      error.hidden = message === null;
      root.classList.toggle('field--invalid', message !== null);
      for (const control of controls) {
        if (message === null) control.removeAttribute('aria-invalid');
        else control.setAttribute('aria-invalid', 'true');
      }
      describe(message !== null);
    },
  };
}

/** One control under its label, with its hint and error slot: an input, a text area or a select. */
function labelledField(o: FieldOptions, id: string, control: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement): Field {
  const hint = o.hint ? h('p', { class: 'field__hint', id: `${id}-hint` }, o.hint) : null;
  const error = errorSlot(`${id}-error`, o.name);
  const root = h('div', { class: 'field' }, h('label', { class: 'field__label', for: id }, o.label), control, hint, error);
  return wire(
    o.name,
    root,
    [control],
    hint,
    error,
    () => control.value,
    () => false,
  );
}

export function inputField(o: FieldOptions): Field {
  const id = uid(`f-${o.name}`);
  const common = {
    id,
    name: o.name,
    required: o.required ?? false,
    autocomplete: o.autocomplete,
    inputmode: o.inputmode,
    placeholder: o.placeholder,
    maxlength: o.maxlength,
    minlength: o.minlength,
    'data-testid': o.testid ?? `input-${o.name}`,
    class: 'field__control',
  };
  const control = o.rows
    ? h('textarea', { ...common, rows: o.rows }, o.value ?? '')
    : h('input', { ...common, type: o.type ?? 'text', value: o.value ?? '' });
  return labelledField(o, id, control);
}

export function selectField(o: FieldOptions & { options: Choice[] }): Field {
  const id = uid(`f-${o.name}`);
  const control = h(
    'select',
    { id, name: o.name, required: o.required ?? false, class: 'field__control', 'data-testid': o.testid ?? `input-${o.name}` },
    o.options.map((c) => h('option', { value: c.value, selected: c.value === o.value }, c.label)),
  );
  return labelledField(o, id, control);
}

export function radioField(o: FieldOptions & { options: Choice[] }): Field {
  const id = uid(`f-${o.name}`);
  const radios = o.options.map((c) =>
    h('input', {
      type: 'radio',
      name: o.name,
      value: c.value,
      checked: c.value === o.value,
      'data-testid': `${o.testid ?? `input-${o.name}`}-${c.value}`,
    }),
  );
  const hint = o.hint ? h('p', { class: 'field__hint', id: `${id}-hint` }, o.hint) : null;
  const error = errorSlot(`${id}-error`, o.name);
  const root = h(
    'fieldset',
    { class: 'field field--choices' },
    h('legend', { class: 'field__label' }, o.label),
    h(
      'div',
      { class: 'choices' },
      radios.map((radio, i) => h('label', { class: 'choice' }, radio, h('span', null, o.options[i]?.label ?? ''))),
    ),
    hint,
    error,
  );
  const value = (): string => radios.find((r) => r.checked)?.value ?? '';
  return wire(o.name, root, radios, hint, error, value, () => false);
}

export function checkboxField(o: FieldOptions & { checked?: boolean }): Field {
  const id = uid(`f-${o.name}`);
  const control = h('input', {
    type: 'checkbox',
    id,
    name: o.name,
    checked: o.checked ?? false,
    'data-testid': o.testid ?? `input-${o.name}`,
  });
  const hint = o.hint ? h('p', { class: 'field__hint', id: `${id}-hint` }, o.hint) : null;
  const error = errorSlot(`${id}-error`, o.name);
  const root = h(
    'div',
    { class: 'field field--checkbox' },
    h('label', { class: 'choice', for: id }, control, h('span', null, o.label)),
    hint,
    error,
  );
  return wire(
    o.name,
    root,
    [control],
    hint,
    error,
    () => (control.checked ? 'true' : 'false'),
    () => control.checked,
  );
}

export interface FormValues {
  value: (name: string) => string;
  checked: (name: string) => boolean;
}

export interface FormOptions {
  testid: string;
  fields: Field[];
  submitLabel: string;
  submitTestid?: string;
  submitKind?: 'primary' | 'danger';
  /** Client-side checks; their messages show like the server's details. */
  validate?: (values: FormValues) => ValidationDetail[];
  onSubmit: (values: FormValues, idempotencyKey: string) => Promise<void>;
  footer?: Child;
}

export interface FormHandle {
  element: HTMLFormElement;
  field: (name: string) => Field;
  showError: (err: unknown) => void;
  clearErrors: () => void;
}

/** Which field a details[].path names: "reward", "body.reward", "destination[0]"… */
function fieldFor(fields: Field[], path: string): Field | undefined {
  const trimmed = path.replace(/^(body|query|params)[./]/, '');
  const segments = trimmed.split(/[.[\]/]+/).filter(Boolean);
  const candidates = [path, trimmed, segments[0], segments[segments.length - 1]];
  for (const name of candidates) {
    const field = fields.find((f) => f.name === name);
    if (field) return field;
  }
  return undefined;
}

export function createForm(o: FormOptions): FormHandle {
  const alert = h('div', { class: 'alert alert--error', role: 'alert', tabindex: '-1', 'data-testid': 'form-error' });
  alert.hidden = true;
  const submit = h(
    'button',
    { type: 'submit', class: `button button--${o.submitKind ?? 'primary'}`, 'data-testid': o.submitTestid ?? `${o.testid}-submit` },
    o.submitLabel,
  );
  const element = h(
    'form',
    { class: 'form', novalidate: true, 'data-testid': o.testid },
    o.fields.map((f) => f.root),
    alert,
    h('div', { class: 'form__actions' }, submit, o.footer ?? null),
  );
  const values: FormValues = {
    value: (name) => o.fields.find((f) => f.name === name)?.value() ?? '',
    checked: (name) => o.fields.find((f) => f.name === name)?.checked() ?? false,
  };
  // One key per intended submission: kept when the request got no answer (a retry is the same
  // operation), replaced once the server answered anything.
  let idempotencyKey = newIdempotencyKey();
  let busy = false;

  const clearErrors = (): void => {
    for (const f of o.fields) f.setError(null);
    alert.replaceChildren();
    alert.hidden = true;
  };

  const showDetails = (message: string | null, details: ValidationDetail[]): void => {
    const loose: string[] = [];
    let firstInvalid: Field | undefined;
    for (const detail of details) {
      const field = fieldFor(o.fields, detail.path);
      if (field) {
        field.setError(detail.message);
        firstInvalid ??= field;
      } else {
        loose.push(detail.path ? `${detail.path}: ${detail.message}` : detail.message);
      }
    }
    if (message || loose.length) {
      fill(
        alert,
        message ? h('p', null, message) : null,
        loose.length
          ? h(
              'ul',
              null,
              loose.map((text) => h('li', null, text)),
            )
          : null,
      );
      alert.hidden = false;
    }
    (firstInvalid?.focusTarget ?? alert).focus();
  };

  const showError = (err: unknown): void => {
    clearErrors();
    if (err instanceof ApiError) showDetails(errorText(err), err.details);
    else showDetails(errorText(err), []);
  };

  element.addEventListener('submit', (event) => {
    event.preventDefault();
    if (busy) return;
    clearErrors();
    const problems = o.validate?.(values) ?? [];
    const required = o.fields
      .filter((f) => f.focusTarget.hasAttribute('required') && f.value().trim() === '')
      .map((f) => ({ path: f.name, message: t.errors.required }));
    const all = [...required, ...problems.filter((p) => !required.some((r) => r.path === p.path))];
    if (all.length) {
      showDetails(null, all);
      return;
    }
    busy = true;
    submit.disabled = true;
    element.setAttribute('aria-busy', 'true');
    o.onSubmit(values, idempotencyKey)
      .then(() => {
        idempotencyKey = newIdempotencyKey();
      })
      .catch((err: unknown) => {
        if (!(err instanceof NetworkError)) idempotencyKey = newIdempotencyKey();
        if (element.isConnected) showError(err);
      })
      .finally(() => {
        busy = false;
        submit.disabled = false;
        element.removeAttribute('aria-busy');
      });
  });

  const field = (name: string): Field => {
    const found = o.fields.find((f) => f.name === name);
    if (!found) throw new Error(`no field ${name}`);
    return found;
  };
  return { element, field, showError, clearErrors };
}
