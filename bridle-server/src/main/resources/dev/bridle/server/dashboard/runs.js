// The runs: newest first, filtered by status, workflow and user, with their duration, tokens,
// cost and model; refreshed every few seconds.

import { get, query } from './api.js';
import { badge, count, cut, duration, h, replace, runLink, timeElement, usd } from './dom.js';
import { every, heading } from './ui.js';

const STATUSES = ['queued', 'running', 'suspended', 'killed', 'completed', 'failed', 'cancelled'];
const ENDED = new Set(['COMPLETED', 'FAILED', 'CANCELLED']);

export function runsPage(view, session, params) {
  const filters = {
    status: params.get('status') ?? '',
    workflow: params.get('workflow') ?? '',
    user: params.get('user') ?? '',
    limit: params.get('limit') ?? '50',
  };
  const status = h('select', { name: 'status', id: 'filter-status' },
    h('option', { value: '' }, 'any status'),
    STATUSES.map((s) => h('option', { value: s, selected: s === filters.status }, s)));
  const workflow = h('select', { name: 'workflow', id: 'filter-workflow' },
    h('option', { value: '' }, 'any workflow'),
    filters.workflow ? h('option', { value: filters.workflow, selected: true }, filters.workflow) : null);
  const user = h('input', { name: 'user', id: 'filter-user', type: 'search', value: filters.user, placeholder: 'user', maxlength: 128 });
  const limit = h('select', { name: 'limit', id: 'filter-limit' },
    ['50', '100', '500'].map((n) => h('option', { value: n, selected: n === filters.limit }, `${n} runs`)));
  const form = h('form', { class: 'filters', id: 'run-filters' },
    h('label', null, 'Status ', status),
    h('label', null, 'Workflow ', workflow),
    h('label', null, 'User ', user),
    h('label', null, 'Show ', limit),
    h('button', { type: 'submit', class: 'secondary' }, 'Filter'));
  form.addEventListener('change', () => form.requestSubmit());
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const next = query({
      status: status.value, workflow: workflow.value, user: user.value.trim(),
      limit: limit.value === '50' ? '' : limit.value,
    });
    location.hash = `#/runs${next}`;
  });

  const body = h('tbody');
  const table = h('table', { class: 'runs', id: 'runs' },
    h('thead', null, h('tr', null,
      ['Run', 'Status', 'Workflow', 'User', 'Task', 'Started', 'Duration', 'Steps', 'Tokens in / out', 'Cost', 'Model']
        .map((c) => h('th', { scope: 'col' }, c)))),
    body);
  const summary = h('p', { class: 'muted', id: 'runs-summary' });
  replace(view, heading('Runs'), form, summary, table);

  get('/workflows').then((served) => {
    for (const w of served.workflows) {
      if (w.name !== filters.workflow) {
        workflow.append(h('option', { value: w.name }, w.name));
      }
    }
  }).catch(() => {});

  const load = async () => {
    const listed = await get(`/runs${query(filters)}`);
    // The cost and models of the listed runs, 100 ids a request (to keep the address short).
    const costs = new Map();
    for (let i = 0; i < listed.runs.length; i += 100) {
      const ids = listed.runs.slice(i, i + 100).map((r) => r.id).join(',');
      const spend = await get(`/spend/runs${query({ ids })}`);
      spend.runs.forEach((r) => costs.set(r.id, r));
    }
    replace(body, listed.runs.map((run) => row(run, costs.get(run.id))));
    if (listed.runs.length === 0) {
      body.append(h('tr', null, h('td', { colspan: 11, class: 'empty' }, 'No runs match.')));
    }
    replace(summary, `${listed.runs.length} run${listed.runs.length === 1 ? '' : 's'}`,
      listed.runs.length >= Number(filters.limit) ? ' (the newest; show more to see older ones)' : '');
  };
  return every(3000, load);
}

function row(run, cost) {
  const started = Date.parse(run.createdAt);
  const ended = ENDED.has(run.status);
  const elapsed = (ended ? Date.parse(run.updatedAt) : Date.now()) - started;
  return h('tr', { 'data-run': run.id, 'data-status': run.status },
    h('td', null, runLink(run.id, cut(run.id, 18))),
    h('td', null, badge(run.status)),
    h('td', null, run.workflow, run.workflowVersion ? h('span', { class: 'muted' }, `@${run.workflowVersion}`) : null),
    h('td', null, run.user),
    h('td', { class: 'task', title: run.task }, cut(run.task, 80)),
    h('td', null, timeElement(run.createdAt)),
    h('td', { class: 'num' }, duration(elapsed), ended ? null : h('span', { class: 'muted' }, ' so far')),
    h('td', { class: 'num' }, count(run.steps)),
    h('td', { class: 'num' }, `${count(run.usage.inputTokens)} / ${count(run.usage.outputTokens)}`),
    h('td', { class: 'num cost' }, cost ? usd(cost.unpricedCalls > 0 && cost.modelCalls === cost.unpricedCalls ? null : cost.costUsd) : '…'),
    h('td', { class: 'model' }, cost ? cost.models.join(', ') : '…'));
}
