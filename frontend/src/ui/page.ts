// Building blocks every page uses: the title, loading / empty / error states, notices, money.
import { errorText } from '../api/client';
import { getMe } from '../api/endpoints';
import type { Me } from '../api/types';
import { t } from '../i18n';
import { fill, h, type Child } from './h';
import { formatMoney, normalizeMoney } from './format';

/** The page's h1 (focused after navigation) and the document title. */
export function pageHeader(title: string, ...aside: Child[]): HTMLElement {
  return titledHeader(title, 'page-title', ...aside);
}

export function titledHeader(title: string, testid: string, ...aside: Child[]): HTMLElement {
  document.title = `${title}${t.app.titleSuffix}`;
  return h(
    'header',
    { class: 'page-header' },
    h('h1', { tabindex: '-1', 'data-testid': testid }, title),
    aside.length ? h('div', { class: 'page-header__aside' }, aside) : null,
  );
}

export function section(title: string, testid: string | null, ...children: Child[]): HTMLElement {
  return h('section', { class: 'card', 'data-testid': testid }, h('h2', { class: 'card__title' }, title), children);
}

export function loading(): HTMLElement {
  return h(
    'p',
    { class: 'state state--loading', role: 'status', 'data-testid': 'loading' },
    h('span', { class: 'spinner', 'aria-hidden': 'true' }),
    t.app.loading,
  );
}

export function empty(text: string): HTMLElement {
  return h('p', { class: 'state state--empty', 'data-testid': 'empty' }, text);
}

export function errorBox(err: unknown, retry?: () => void): HTMLElement {
  return h(
    'div',
    { class: 'alert alert--error', role: 'alert', 'data-testid': 'error' },
    h('p', null, errorText(err)),
    retry ? h('button', { type: 'button', class: 'button button--secondary', onclick: retry }, t.app.retry) : null,
  );
}

/**
 * `work` loads something and fills `into` with it; a failure fills `into` with the error and a
 * retry instead, unless the page was left meanwhile (`signal`). Answers the loader, to call now and
 * to reload with.
 */
export function loader(into: HTMLElement, signal: AbortSignal, work: () => Promise<unknown>): () => Promise<void> {
  const load = async (): Promise<void> => {
    try {
      await work();
    } catch (err) {
      if (!signal.aborted)
        fill(
          into,
          errorBox(err, () => void load()),
        );
    }
  };
  return load;
}

export function notice(text: string, kind: 'success' | 'info' | 'error' = 'info', testid = 'notice'): HTMLElement {
  return h('div', { class: `alert alert--${kind}`, role: kind === 'error' ? 'alert' : 'status', 'data-testid': testid }, text);
}

/** Money as "1 500,00 ₽", with the contract's string in data-amount for tests and tools. */
export function money(amount: string, testid?: string): HTMLElement {
  return h('span', { class: 'money', 'data-amount': normalizeMoney(amount), 'data-testid': testid }, formatMoney(amount));
}

export function badge(kind: string, value: string, label: string): HTMLElement {
  return h('span', { class: `badge badge--${kind}-${value}`, 'data-status': value }, label);
}

/** A figure: a label above a big value (balance, salary). */
export function stat(label: string, value: Node): HTMLElement {
  return h('div', { class: 'stat' }, h('span', { class: 'stat__label' }, label), h('span', { class: 'stat__value' }, value));
}

/** Figures from GET /api/me (available and held money), loaded when shown, with retry on failure. */
export function meStats(signal: AbortSignal, figures: (me: Me) => HTMLElement[]): { element: HTMLElement; reload(): void } {
  const element = h('div', { class: 'stats' }, loading());
  const load = loader(element, signal, async () => {
    const me = await getMe(signal);
    fill(element, ...figures(me));
  });
  void load();
  return { element, reload: () => void load() };
}

const toastRegion = (): HTMLElement | null => document.getElementById('toast');

/** A short confirmation read out by screen readers; one at a time, gone after a few seconds or a click. */
export function toast(text: string): void {
  const region = toastRegion();
  if (!region) return;
  const item = h('p', { class: 'toast__item', 'data-testid': 'toast' }, text);
  item.addEventListener('click', () => item.remove());
  region.replaceChildren(item);
  window.setTimeout(() => item.remove(), 4000);
}

/** A form or detail folded under its title until asked for; the test id is on the title that opens it. */
export function disclosure(title: string, testid: string, ...children: Child[]): HTMLElement {
  return h('details', { class: 'disclosure' }, h('summary', { class: 'disclosure__title', 'data-testid': testid }, title), children);
}
