// The audit trail: every call with an effect, newest first, with who approved it and what it
// changed; revert one run's changes, or a workflow's since a time.

import { get, post, query, seg } from './api.js';
import { badge, h, replace, runLink, timeElement } from './dom.js';
import { actionButton, can, every, heading, showError } from './ui.js';
import { confirmRevert, showRevertReport } from './run.js';

const two = (n) => String(n).padStart(2, '0');

/** A Date as the value of a datetime-local input (local time, minutes). */
function localInput(date) {
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())}T${two(date.getHours())}:${two(date.getMinutes())}`;
}

export function auditPage(view, session, params) {
  const filters = { workflow: params.get('workflow') ?? '', since: params.get('since') ?? '', limit: params.get('limit') ?? '100' };
  const operator = can(session, 'operator');

  const workflow = h('select', { name: 'workflow', id: 'audit-workflow' }, h('option', { value: '' }, 'any workflow'));
  const since = h('input', {
    name: 'since', id: 'audit-since', type: 'datetime-local',
    value: filters.since ? localInput(new Date(filters.since)) : '',
  });
  const form = h('form', { class: 'filters', id: 'audit-filters' },
    h('label', null, 'Workflow ', workflow),
    h('label', null, 'Since ', since),
    h('button', { type: 'submit', class: 'secondary' }, 'Filter'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    location.hash = `#/audit${query({
      workflow: workflow.value,
      since: since.value ? new Date(since.value).toISOString() : '',
    })}`;
  });

  const revertWorkflow = h('select', { name: 'workflow', id: 'revert-workflow', required: true });
  const revertSince = h('input', {
    name: 'since', id: 'revert-since', type: 'datetime-local', required: true,
    value: localInput(new Date(Date.now() - 3600_000)),
  });
  const revertForm = h('form', { class: 'filters card', id: 'revert-form' },
    h('strong', null, 'Revert a workflow '),
    h('label', null, 'Workflow ', revertWorkflow),
    h('label', null, 'changes since ', revertSince),
    h('button', { type: 'submit', class: 'danger' }, 'Revert…'));
  revertForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const at = new Date(revertSince.value);
    if (!revertWorkflow.value || Number.isNaN(at.getTime())) {
      showError(new Error('choose a workflow and a time'), 'Reverting');
      return;
    }
    if (!(await confirmRevert(`workflow ${revertWorkflow.value} since ${revertSince.value.replace('T', ' ')}`))) {
      return;
    }
    try {
      showRevertReport(await post('/revert', { workflow: revertWorkflow.value, since: at.toISOString() }));
      await load();
    } catch (error) {
      showError(error, 'Reverting');
    }
  });

  const body = h('tbody');
  replace(view,
    heading('Audit trail'),
    form,
    operator ? revertForm : null,
    h('table', { id: 'audit' },
      h('thead', null, h('tr', null,
        ['At', 'Run', 'Workflow', 'Tool', 'Effect', 'Status', 'Decided by', 'Change', 'Reverted', '']
          .map((c) => h('th', { scope: 'col' }, c)))),
      body));

  get('/workflows').then((served) => {
    for (const w of served.workflows) {
      workflow.append(h('option', { value: w.name, selected: w.name === filters.workflow }, w.name));
      revertWorkflow.append(h('option', { value: w.name }, w.name));
    }
  }).catch(() => {});

  const load = async () => {
    const { entries } = await get(`/audit${query(filters)}`);
    replace(body, entries.length === 0
      ? h('tr', null, h('td', { colspan: 10, class: 'empty' }, 'No calls with an effect.'))
      : entries.map((entry) => row(entry, operator, load)));
  };
  return every(5000, load);
}

function row(entry, operator, reload) {
  const change = entry.change;
  return h('tr', { 'data-run': entry.runId, 'data-call': entry.callId },
    h('td', null, timeElement(entry.at)),
    h('td', null, runLink(entry.runId)),
    h('td', null, entry.workflow),
    h('td', null, h('code', null, entry.toolName)),
    h('td', null, badge(entry.effect)),
    h('td', null, badge(entry.status, 'call')),
    h('td', null, entry.approver ? `${entry.approver} (${entry.decision.toLowerCase()})` : 'no human (autonomous)'),
    h('td', { class: 'change' }, change
      ? [h('code', null, change.resource), ': ', h('code', null, JSON.stringify(change.before)), ' → ', h('code', null, JSON.stringify(change.after))]
      : '—'),
    h('td', { class: 'reverted' }, entry.revertedBy ? ['by ', entry.revertedBy, ' ', timeElement(entry.revertedAt)] : '—'),
    h('td', null, operator && change?.inverse && !entry.revertedBy
      ? actionButton('Revert run…', { class: 'secondary', 'data-action': 'revert-run' }, async () => {
        if (await confirmRevert(`run ${entry.runId}`)) {
          showRevertReport(await post(`/runs/${seg(entry.runId)}/revert`));
          await reload();
        }
      }, 'Reverting')
      : null));
}
