// A cursor-paginated list with loading, empty and error states and a "load more" button.
import type { Page } from '../api/types';
import { t } from '../i18n';
import { h, fill } from './h';
import { empty, errorBox, loading } from './page';

export interface PagedListOptions<T> {
  load: (cursor: string | null, signal: AbortSignal) => Promise<Page<T>>;
  item: (row: T) => Node;
  emptyText: string;
  testid: string;
  signal: AbortSignal;
}

export interface PagedList {
  element: HTMLElement;
  reload: () => void;
}

export function pagedList<T>(options: PagedListOptions<T>): PagedList {
  const list = h('ul', { class: 'list', 'data-testid': `${options.testid}-items` });
  const status = h('div', { class: 'list__status' });
  const more = h('button', { type: 'button', class: 'button button--secondary list__more', 'data-testid': 'load-more' }, t.app.loadMore);
  const element = h('div', { class: 'paged', 'data-testid': options.testid }, list, status, more);
  let cursor: string | null = null;
  let generation = 0;

  async function loadPage(first: boolean): Promise<void> {
    const mine = ++generation;
    more.hidden = true;
    if (first) list.replaceChildren();
    fill(status, loading());
    try {
      const page = await options.load(first ? null : cursor, options.signal);
      if (mine !== generation) return;
      status.replaceChildren();
      const before = list.children.length;
      for (const row of page.items) list.appendChild(h('li', { class: 'list__item' }, options.item(row)));
      cursor = page.nextCursor ?? null;
      more.hidden = cursor === null;
      if (first && page.items.length === 0) fill(status, empty(options.emptyText));
      // Keyboard users continue from the first new row instead of losing focus with the button.
      const firstNew = list.children[before];
      if (!first && firstNew instanceof HTMLElement) {
        firstNew.tabIndex = -1;
        firstNew.focus();
      }
    } catch (err) {
      if (mine !== generation || options.signal.aborted) return;
      fill(
        status,
        errorBox(err, () => void loadPage(first)),
      );
    }
  }

  more.addEventListener('click', () => void loadPage(false));
  void loadPage(true);
  return { element, reload: () => void loadPage(true) };
}
