// Kill switches: everything, or one workflow. Turning one on or off asks for confirmation; after a
// revive, the runs it had parked can be resumed from here.

import { get, post, seg } from './api.js';
import { badge, h, replace, runLink, timeElement } from './dom.js';
import { actionButton, can, confirmDialog, every, flash, heading } from './ui.js';

export function killSwitchesPage(view, session) {
  const global = h('section', { class: 'card', id: 'global-switch' });
  const workflows = h('tbody');
  const active = h('tbody');
  const resumable = h('section', { class: 'card', id: 'resumable', hidden: true });
  replace(view,
    heading('Kill switches'),
    h('p', { class: 'muted' }, 'A switch stops every run it covers before its next model or tool call; they park as KILLED until revived and resumed.'),
    global, resumable,
    h('h2', null, 'Workflows'),
    h('table', { id: 'workflow-switches' },
      h('thead', null, h('tr', null, ['Workflow', 'Version', 'Mode', 'State', ''].map((c) => h('th', { scope: 'col' }, c)))),
      workflows),
    h('h2', null, 'Switches that are on'),
    h('table', { id: 'active-switches' },
      h('thead', null, h('tr', null, ['Scope', 'Target', 'By', 'Reason', 'Since'].map((c) => h('th', { scope: 'col' }, c)))),
      active));

  const operator = can(session, 'operator');
  let reload = async () => {};

  const kill = async (scope, target, label) => {
    const answer = await confirmDialog({
      title: `Kill ${label}?`,
      body: scope === 'global'
        ? 'Every run on every workflow stops before its next call, and new runs wait.'
        : `Every run of ${label} stops before its next call, and new ones wait.`,
      confirm: 'Kill', danger: true,
      reason: { label: 'Reason', placeholder: 'what went wrong' },
    });
    if (!answer) {
      return;
    }
    await post('/kill', { scope, target: scope === 'global' ? undefined : target, reason: answer.reason || undefined });
    flash(`Killed ${label}.`, 'ok');
    await reload();
  };

  const revive = async (scope, target, label) => {
    const answer = await confirmDialog({
      title: `Revive ${label}?`,
      body: 'New runs start again. Parked runs stay parked until you resume them.',
      confirm: 'Revive',
    });
    if (!answer) {
      return;
    }
    const result = await post('/revive', { scope, target: scope === 'global' ? undefined : target });
    flash(result.revived ? `Revived ${label}.` : `${label} was not killed.`, 'ok');
    showResumable(resumable, result.resumableRuns, operator);
    await reload();
  };

  reload = async () => {
    const [{ killSwitches }, served] = await Promise.all([get('/kill-switches'), get('/workflows')]);
    const globalSwitch = killSwitches.find((k) => k.scope === 'global');
    replace(global,
      h('h2', null, 'Everything ', globalSwitch ? badge('killed') : badge('running', 'ok')),
      globalSwitch ? h('p', null, `Killed by ${globalSwitch.by} at `, timeElement(globalSwitch.at), globalSwitch.reason ? `: ${globalSwitch.reason}` : '') : null,
      operator
        ? (globalSwitch
          ? actionButton('Revive everything…', { class: 'primary', id: 'revive-global' }, () => revive('global', '*', 'everything'), 'Reviving')
          : actionButton('Kill everything…', { class: 'danger', id: 'kill-global' }, () => kill('global', '*', 'everything'), 'Killing'))
        : null);
    replace(workflows, served.workflows.map((w) => {
      const own = killSwitches.find((k) => k.scope === 'workflow' && k.target === w.name);
      return h('tr', { 'data-workflow': w.name },
        h('th', { scope: 'row' }, w.name),
        h('td', null, w.version),
        h('td', null, w.mode),
        h('td', { class: 'state' }, w.killedBy ? [badge('killed'), ' ', h('span', { class: 'muted' }, w.killedBy)] : badge('running', 'ok')),
        h('td', null, operator
          ? (own
            ? actionButton('Revive…', { class: 'primary', 'data-action': 'revive' }, () => revive('workflow', w.name, `workflow ${w.name}`), 'Reviving')
            : actionButton('Kill…', { class: 'danger', 'data-action': 'kill' }, () => kill('workflow', w.name, `workflow ${w.name}`), 'Killing'))
          : null));
    }));
    replace(active, killSwitches.length === 0
      ? h('tr', null, h('td', { colspan: 5, class: 'empty' }, 'None: everything runs.'))
      : killSwitches.map((k) => h('tr', null,
        h('td', null, k.scope), h('td', null, k.target), h('td', null, k.by), h('td', null, k.reason), h('td', null, timeElement(k.at)))));
  };
  return every(5000, reload);
}

function showResumable(section, runIds, operator) {
  if (!runIds || runIds.length === 0) {
    section.hidden = true;
    return;
  }
  const resume = async (id, row) => {
    await post(`/runs/${seg(id)}/resume`);
    row.remove();
    flash(`Run ${id} resumes.`, 'ok');
  };
  const rows = runIds.map((id) => {
    const row = h('li', { 'data-run': id }, runLink(id), ' ');
    if (operator) {
      row.append(actionButton('Resume', { class: 'primary', 'data-action': 'resume' }, () => resume(id, row), 'Resuming'));
    }
    return row;
  });
  const list = h('ul', { class: 'plain' }, rows);
  replace(section,
    h('h2', null, 'Parked runs no switch covers any more'),
    list,
    operator ? actionButton('Resume all', { class: 'secondary', id: 'resume-all' }, async () => {
      for (const row of [...list.children]) {
        await resume(row.dataset.run, row);
      }
    }, 'Resuming') : null);
  section.hidden = false;
}
