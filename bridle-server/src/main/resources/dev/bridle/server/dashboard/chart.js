// A stacked bar chart in SVG, drawn here (no library): one bar per time bucket, one colour per
// series (the largest seven; the rest as "other"), with a y axis, sparse x labels and a legend.

import { h, svg } from './dom.js';

const WIDTH = 880;
const HEIGHT = 260;
const LEFT = 70;
const RIGHT = 12;
const TOP = 12;
const BOTTOM = 34;
const MAX_SERIES = 7;

/**
 * @param labels bucket labels (one per bar)
 * @param series [{name, values: number[]}], largest first
 * @param format how a value is written (axis and tooltips)
 */
export function stackedBars({ labels, series, format, title }) {
  const shown = series.slice(0, MAX_SERIES);
  const rest = series.slice(MAX_SERIES);
  if (rest.length > 0) {
    shown.push({
      name: `other (${rest.length})`,
      values: labels.map((_, i) => rest.reduce((sum, s) => sum + (s.values[i] ?? 0), 0)),
    });
  }
  const totals = labels.map((_, i) => shown.reduce((sum, s) => sum + (s.values[i] ?? 0), 0));
  const max = niceMax(Math.max(0, ...totals));
  const plotWidth = WIDTH - LEFT - RIGHT;
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const slot = plotWidth / Math.max(1, labels.length);
  const barWidth = Math.max(1, slot * 0.72);
  const y = (value) => TOP + plotHeight - (max === 0 ? 0 : (value / max) * plotHeight);

  const chart = svg('svg', {
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`, class: 'chart', role: 'img', 'aria-label': title,
  });
  chart.append(svg('title', null, title));
  for (let i = 0; i <= 4; i++) {
    const value = (max / 4) * i;
    chart.append(
      svg('line', { x1: LEFT, x2: WIDTH - RIGHT, y1: y(value), y2: y(value), class: 'grid' }),
      svg('text', { x: LEFT - 6, y: y(value) + 4, class: 'axis', 'text-anchor': 'end' }, format(value)));
  }
  const every = Math.max(1, Math.ceil(labels.length / 8));
  labels.forEach((label, i) => {
    const x = LEFT + i * slot + (slot - barWidth) / 2;
    let base = 0;
    const bar = svg('g', { class: 'bar', 'data-bucket': label });
    shown.forEach((s, k) => {
      const value = s.values[i] ?? 0;
      if (value > 0) {
        bar.append(svg('rect', {
          x, width: barWidth, y: y(base + value), height: Math.max(0.5, y(base) - y(base + value)),
          class: `series-${k}`, 'data-series': s.name,
        }, svg('title', null, `${s.name}, ${label}: ${format(value)}`)));
      }
      base += value;
    });
    chart.append(bar);
    if (i % every === 0) {
      chart.append(svg('text', { x: x + barWidth / 2, y: HEIGHT - BOTTOM + 18, class: 'axis', 'text-anchor': 'middle' }, label));
    }
  });
  chart.append(svg('line', { x1: LEFT, x2: WIDTH - RIGHT, y1: y(0), y2: y(0), class: 'baseline' }));

  const legend = h('ul', { class: 'legend' }, shown.map((s, k) => h('li', null,
    h('span', { class: `swatch series-${k}` }), s.name)));
  return h('figure', { class: 'chart-figure' }, chart, shown.length ? legend : h('p', { class: 'muted' }, 'Nothing was spent in this window.'));
}

/** A round number at or above the largest value, for the top of the axis. */
function niceMax(value) {
  if (value <= 0) {
    return 0;
  }
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) {
    if (step * power >= value) {
      return step * power;
    }
  }
  return 10 * power;
}
