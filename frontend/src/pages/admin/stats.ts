// Handler timings per route (p50/p95/p99) as a chart and a table, and the books check.
import { adminStats, ledgerCheck } from '../../api/endpoints';
import type { RouteStat } from '../../api/types';
import { t } from '../../i18n';
import { href, navigate, type PageContext } from '../../router';
import { adminHeader } from '../../ui/admin';
import { latencyChart } from '../../ui/chart';
import { h, fill, uid } from '../../ui/h';
import { empty, loader, loading, money, notice, section } from '../../ui/page';

const WINDOWS = [1, 6, 24, 72, 168];

const num = (value: unknown): number => {
  const n = typeof value === 'string' ? Number(value) : typeof value === 'number' ? value : NaN;
  return Number.isFinite(n) ? n : 0;
};

const isText = (v: unknown): v is string => typeof v === 'string' && v !== '';

/** The contract names the numbers, not the keys: accept `items` or `routes`, `p50` or `p50Ms`. */
export function normalizeStats(raw: unknown): RouteStat[] {
  const body = raw as { items?: unknown; routes?: unknown } | unknown[] | null;
  const rows = Array.isArray(body) ? body : Array.isArray(body?.items) ? body.items : Array.isArray(body?.routes) ? body.routes : [];
  return (rows as Array<Record<string, unknown>>)
    .map((r) => ({
      route: [r.route, r.name].find(isText) ?? [r.method, r.path].filter(isText).join(' '),
      count: num(r.count),
      p50: num(r.p50 ?? r.p50Ms),
      p95: num(r.p95 ?? r.p95Ms),
      p99: num(r.p99 ?? r.p99Ms),
    }))
    .sort((a, b) => b.p99 - a.p99);
}

function table(stats: RouteStat[]): HTMLElement {
  return h(
    'details',
    { class: 'table-wrap' },
    h('summary', null, t.admin.statsTable),
    h(
      'div',
      { class: 'scroll-x' },
      h(
        'table',
        { class: 'table', 'data-testid': 'stats-table' },
        h(
          'thead',
          null,
          h(
            'tr',
            null,
            [t.admin.route, t.admin.count, 'p50', 'p95', 'p99'].map((c) => h('th', { scope: 'col' }, c)),
          ),
        ),
        h(
          'tbody',
          null,
          stats.map((s) =>
            h(
              'tr',
              null,
              h('th', { scope: 'row', class: 'mono' }, s.route),
              h('td', null, String(s.count)),
              h('td', null, t.admin.ms(s.p50)),
              h('td', null, t.admin.ms(s.p95)),
              h('td', null, t.admin.ms(s.p99)),
            ),
          ),
        ),
      ),
    ),
  );
}

function ledgerCard(signal: AbortSignal): HTMLElement {
  const body = h('div', null, loading());
  const load = loader(body, signal, async () => {
    const check = await ledgerCheck(signal);
    const totals = Object.entries(check).filter(([key]) => key !== 'ok');
    fill(
      body,
      notice(check.ok ? t.admin.ledgerOk : t.admin.ledgerBad, check.ok ? 'success' : 'error', 'ledger-check'),
      totals.length
        ? h(
            'dl',
            { class: 'details' },
            totals.map(([key, value]) => [
              h('dt', { class: 'mono' }, key),
              h('dd', null, typeof value === 'string' && /^-?\d+\.\d{2}$/.test(value) ? money(value) : JSON.stringify(value)),
            ]),
          )
        : null,
    );
  });
  void load();
  return section(t.admin.ledgerTitle, 'ledger-check-section', body);
}

export function render(ctx: PageContext): Node {
  const hours = WINDOWS.find((w) => String(w) === ctx.query.get('hours')) ?? 24;
  const selectId = uid('hours');
  const select = h(
    'select',
    { id: selectId, class: 'field__control', 'data-testid': 'stats-hours' },
    WINDOWS.map((w) => h('option', { value: String(w), selected: w === hours }, t.admin.hours(w))),
  );
  select.addEventListener('change', () => navigate(href('/admin/stats', { hours: select.value })));

  const body = h('div', null, loading());
  const load = loader(body, ctx.signal, async () => {
    fill(body, loading());
    const stats = normalizeStats(await adminStats(hours, ctx.signal));
    if (!stats.length) return fill(body, empty(t.admin.statsEmpty));
    fill(body, latencyChart(stats, ctx.signal), table(stats));
  });
  void load();

  return h(
    'div',
    { class: 'stack' },
    adminHeader(t.admin.statsTitle),
    h(
      'div',
      { class: 'filters' },
      h('div', { class: 'field field--inline' }, h('label', { class: 'field__label', for: selectId }, t.admin.window), select),
    ),
    section(t.admin.chartTitle, 'stats', body),
    ledgerCard(ctx.signal),
  );
}
