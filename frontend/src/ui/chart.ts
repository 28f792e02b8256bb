// A horizontal grouped bar chart in inline SVG: per route, bars for p50, p95 and p99.
// Drawn at the container's pixel width so its text stays readable on a phone.
import type { RouteStat } from '../api/types';
import { t } from '../i18n';
import { h, svg } from './h';

const SERIES = [
  { key: 'p50', label: 'p50', className: 'series-p50' },
  { key: 'p95', label: 'p95', className: 'series-p95' },
  { key: 'p99', label: 'p99', className: 'series-p99' },
] as const;

const BAR = 10;
const BAR_GAP = 3;
const LABEL = 18;
const GROUP_GAP = 18;
const AXIS = 22;
const VALUE_ROOM = 64;

/** 1, 2, 5, 10, 20, 50… at or above `value`, for round axis ends. */
function niceCeil(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 5, 10].find((m) => m * power >= value) ?? 10;
  return step * power;
}

function fitText(node: SVGTextElement, text: string, maxWidth: number): void {
  node.textContent = text;
  if (node.getComputedTextLength() <= maxWidth) return;
  let cut = text.length;
  while (cut > 1 && node.getComputedTextLength() > maxWidth) {
    cut -= 1;
    node.textContent = `${text.slice(0, cut)}…`;
  }
}

function draw(host: HTMLElement, stats: RouteStat[]): void {
  const width = Math.max(280, Math.floor(host.clientWidth));
  const plot = width - VALUE_ROOM;
  const max = niceCeil(Math.max(1, ...stats.map((s) => s.p99), ...stats.map((s) => s.p95)));
  const groupHeight = LABEL + SERIES.length * (BAR + BAR_GAP) + GROUP_GAP;
  const height = AXIS + stats.length * groupHeight;
  const scale = (ms: number): number => Math.max(1, (Math.max(0, ms) / max) * plot);

  const chart = svg('svg', {
    width,
    height,
    viewBox: `0 0 ${width} ${height}`,
    role: 'img',
    'aria-label': t.admin.chartLabel,
    class: 'chart__svg',
  });
  const fractions = plot < 420 ? [0, 0.5, 1] : [0, 0.25, 0.5, 0.75, 1];
  for (const fraction of fractions) {
    const x = Math.round(fraction * plot) + 0.5;
    chart.appendChild(svg('line', { x1: x, x2: x, y1: AXIS - 4, y2: height, class: 'chart__grid' }));
    const tick = svg('text', {
      x: fraction === 0 ? 0 : x,
      y: 12,
      class: 'chart__tick',
      'text-anchor': fraction === 0 ? 'start' : fraction === 1 ? 'end' : 'middle',
    });
    tick.textContent = t.admin.ms(Math.round(fraction * max));
    chart.appendChild(tick);
  }
  host.replaceChildren(chart);

  stats.forEach((stat, i) => {
    const top = AXIS + i * groupHeight;
    const label = svg('text', { x: 0, y: top + 13, class: 'chart__label' });
    chart.appendChild(label);
    fitText(label, `${stat.route} · ${stat.count}`, width);
    SERIES.forEach((series, j) => {
      const value = stat[series.key];
      const y = top + LABEL + j * (BAR + BAR_GAP);
      const barWidth = scale(value);
      const bar = svg('rect', { x: 0, y, width: barWidth, height: BAR, rx: 2, class: `chart__bar ${series.className}` });
      bar.appendChild(svg('title', null, `${stat.route} ${series.label}: ${t.admin.ms(value)}`));
      chart.appendChild(bar);
      const text = svg('text', { x: barWidth + 4, y: y + BAR - 1, class: 'chart__value' });
      text.textContent = `${series.label} ${Math.round(value)}`;
      chart.appendChild(text);
    });
  });
}

/** The chart plus its legend; redraws when the container changes width, until `signal` aborts. */
export function latencyChart(stats: RouteStat[], signal: AbortSignal): HTMLElement {
  const host = h('div', { class: 'chart__canvas' });
  const legend = h(
    'ul',
    { class: 'chart__legend', 'aria-hidden': 'true' },
    SERIES.map((s) => h('li', null, h('span', { class: `chart__swatch ${s.className}` }), s.label)),
  );
  let lastWidth = -1;
  const observer = new ResizeObserver(() => {
    const width = Math.floor(host.clientWidth);
    if (width === lastWidth || width === 0) return;
    lastWidth = width;
    draw(host, stats);
  });
  observer.observe(host);
  signal.addEventListener('abort', () => observer.disconnect());
  return h('figure', { class: 'chart', 'data-testid': 'stats-chart' }, legend, host);
}
