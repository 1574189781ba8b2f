// Spend: the cost and tokens of model calls per workflow, user and model over time, as a chart;
// totals per group; the use of the workflows' budgets and the thresholds runs crossed.

import { get, query } from './api.js';
import { count, h, replace, runLink, timeElement, usd } from './dom.js';
import { every, heading } from './ui.js';
import { stackedBars } from './chart.js';

const WINDOWS = {
  '24h': { label: 'last 24 hours', hours: 24, bucket: 'hour' },
  '7d': { label: 'last 7 days', hours: 24 * 7, bucket: 'day' },
  '30d': { label: 'last 30 days', hours: 24 * 30, bucket: 'day' },
};
const GROUPS = { workflow: 'byWorkflow', user: 'byUser', model: 'byModel' };

export function spendPage(view, session, params) {
  const choice = {
    window: WINDOWS[params.get('window')] ? params.get('window') : '7d',
    group: GROUPS[params.get('group')] ? params.get('group') : 'workflow',
    metric: params.get('metric') === 'tokens' ? 'tokens' : 'cost',
  };
  const select = (name, options, value) => h('select', { name, id: `spend-${name}` },
    Object.entries(options).map(([v, label]) => h('option', { value: v, selected: v === value }, label)));
  const form = h('form', { class: 'filters', id: 'spend-filters' },
    h('label', null, 'Window ', select('window', Object.fromEntries(Object.entries(WINDOWS).map(([k, w]) => [k, w.label])), choice.window)),
    h('label', null, 'Per ', select('group', { workflow: 'workflow', user: 'user', model: 'model' }, choice.group)),
    h('label', null, 'Show ', select('metric', { cost: 'cost (USD)', tokens: 'tokens' }, choice.metric)));
  form.addEventListener('change', () => {
    const data = new FormData(form);
    location.hash = `#/spend${query({ window: data.get('window'), group: data.get('group'), metric: data.get('metric') })}`;
  });

  const summary = h('div', { class: 'totals', id: 'spend-total' });
  const chart = h('div', { id: 'spend-chart' });
  const tables = h('div', { class: 'spend-tables' });
  const budgets = h('section', { id: 'budgets' });
  replace(view, heading('Spend'), form, summary, chart, tables, budgets);

  const load = async () => {
    const w = WINDOWS[choice.window];
    const until = new Date();
    const since = new Date(until.getTime() - w.hours * 3600_000);
    const spend = await get(`/spend${query({ since: since.toISOString(), until: until.toISOString(), bucket: w.bucket })}`);
    const t = spend.total;
    replace(summary,
      total('Cost', usd(t.costUsd), t.unpricedCalls ? `${count(t.unpricedCalls)} call(s) without a price` : null),
      total('Tokens', count(t.tokens), `${count(t.inputTokens)} in / ${count(t.outputTokens)} out`),
      total('Model calls', count(t.modelCalls), `in ${count(spend.runs)} run(s)`),
      spend.truncated ? h('p', { class: 'muted' }, 'Only the newest runs were counted.') : null);

    const labels = spend.buckets.map((b) => bucketLabel(b, spend.bucket));
    const groups = spend[GROUPS[choice.group]];
    const metric = choice.metric;
    const series = groups.map((g) => ({
      name: g.key,
      values: (metric === 'cost' ? g.series.costUsd : g.series.tokens).map(Number),
    })).filter((s) => s.values.some((v) => v > 0));
    replace(chart, stackedBars({
      labels,
      series,
      format: metric === 'cost' ? usd : (v) => count(Math.round(v)),
      title: `${metric === 'cost' ? 'Cost' : 'Tokens'} per ${choice.group}, ${w.label}`,
    }));

    replace(tables,
      groupTable('Per workflow', 'spend-by-workflow', spend.byWorkflow),
      groupTable('Per user', 'spend-by-user', spend.byUser),
      groupTable('Per model', 'spend-by-model', spend.byModel));

    replace(budgets,
      h('h2', null, 'Budgets'),
      spend.budgets.length === 0
        ? h('p', { class: 'muted' }, 'No served workflow enforces budgets.')
        : h('table', { id: 'budget-use' },
          h('thead', null, h('tr', null, ['Workflow', 'Budget', 'For', 'Period', 'Tokens used', 'Cost used'].map((c) => h('th', { scope: 'col' }, c)))),
          h('tbody', null, spend.budgets.map((b) => h('tr', null,
            h('td', null, b.workflow), h('td', null, `per ${b.scope === 'user' ? 'user and month' : 'workflow and day'}`),
            h('td', null, b.subject), h('td', null, b.period),
            h('td', { class: 'num' }, count(b.tokens)), h('td', { class: 'num' }, usd(b.costUsd)))))),
      h('h3', null, 'Thresholds crossed'),
      spend.budgetAlerts.length === 0
        ? h('p', { class: 'muted' }, 'None in this window.')
        : h('ul', { class: 'plain', id: 'budget-alerts' }, spend.budgetAlerts.map((a) => h('li', { class: a.hard ? 'error' : 'warn' },
          timeElement(a.at), ' ', a.workflow, ' run ', runLink(a.runId), ': ', a.message))));
  };
  return every(10000, load);
}

function total(label, value, note) {
  return h('div', { class: 'total' }, h('span', { class: 'total-label' }, label), h('strong', null, value),
    note ? h('span', { class: 'muted' }, note) : null);
}

function groupTable(title, id, groups) {
  return h('section', null, h('h2', null, title),
    h('table', { id, class: 'spend' },
      h('thead', null, h('tr', null, ['', 'Runs', 'Calls', 'Tokens in', 'Tokens out', 'Cost'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', null, groups.length === 0
        ? h('tr', null, h('td', { colspan: 6, class: 'empty' }, 'Nothing yet.'))
        : groups.map((g) => h('tr', { 'data-key': g.key },
          h('th', { scope: 'row' }, g.key),
          h('td', { class: 'num' }, count(g.runs)),
          h('td', { class: 'num' }, count(g.modelCalls)),
          h('td', { class: 'num' }, count(g.inputTokens)),
          h('td', { class: 'num' }, count(g.outputTokens)),
          h('td', { class: 'num cost' }, usd(g.costUsd), g.unpricedCalls ? h('span', { class: 'muted' }, ` (+${g.unpricedCalls} unpriced)`) : null))))));
}

function bucketLabel(iso, bucket) {
  const d = new Date(iso);
  const two = (n) => String(n).padStart(2, '0');
  // Day buckets are UTC days; hour buckets are shown in local time.
  return bucket === 'hour' ? `${two(d.getHours())}:00` : `${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())}`;
}
