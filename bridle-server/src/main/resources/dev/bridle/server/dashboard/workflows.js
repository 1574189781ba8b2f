// Workflows: where each served workflow stands in the deployment sequence (shadow → propose →
// supervised → autonomous). Per workflow: its mode and where the mode comes from (the workflow
// file, or an operator's change: who, when, why), the evidence of a version (the newest result of
// each suite, the approval streak, shadow agreement per tool), the recommendation and what is
// missing, the mode changes, and versions side by side. Operators and admins change the mode here,
// with a reason; AUTONOMOUS against the evidence needs "force" and is recorded as forced.

import { ApiError, get, post, query, seg } from './api.js';
import { badge, count, h, replace, runLink, timeElement, usd } from './dom.js';
import { can, confirmDialog, every, flash, heading } from './ui.js';

const MODES = ['SHADOW', 'PROPOSE', 'SUPERVISED', 'AUTONOMOUS'];
const MAX_REASON_CHARS = 1000;
const MAX_COMPARED = 10;

/** A rate from 0 to 1 as a percentage with one decimal, as the server writes them: 93.5%. */
const percent = (rate) => (rate === null || rate === undefined ? '—' : `${(rate * 100).toFixed(1)}%`);

/** agreed/compared (rate), as the server writes a tally. */
const tally = (t) => (t.compared === 0 ? '0/0' : `${t.agreed}/${t.compared} (${percent(t.rate)})`);

const modeBadge = (mode) => (mode ? badge(mode, `mode-${mode}`) : badge('unknown'));
const readinessOf = (name, version) => get(`/workflows/${seg(name)}/readiness${query({ version })}`);

/** `#/workflows`: every served workflow with its mode, what the evidence supports and the advice. */
export function workflowsPage(view, session) {
  const body = h('tbody');
  replace(view,
    heading('Workflows'),
    h('p', { class: 'muted' },
      'Where each served workflow stands in the deployment sequence (shadow → propose → supervised → autonomous), '
      + 'on the evidence of the version it serves. A workflow earns each step on evidence; open one to see it.'),
    h('table', { id: 'workflows' },
      h('thead', null, h('tr', null,
        ['Workflow', 'Served', 'Mode', 'Supported by the evidence', 'Recommendation'].map((c) => h('th', { scope: 'col' }, c)))),
      body));

  const load = async () => {
    const { workflows } = await get('/workflows');
    const rows = await Promise.all(workflows.map(async (w) => {
      try {
        return { w, readiness: await readinessOf(w.name, w.version) };
      } catch (error) {
        if (error.status === 401) {
          throw error;
        }
        return { w, error };
      }
    }));
    replace(body, rows.length === 0
      ? h('tr', null, h('td', { colspan: 5, class: 'empty' }, 'This node serves no workflow.'))
      : rows.map(summaryRow));
  };
  return every(10000, load);
}

function summaryRow({ w, readiness, error }) {
  const link = h('a', { href: `#/workflows/${seg(w.name)}` }, w.name);
  const served = w.rollout.map((r) => `${r.version || '(no version)'}${w.rollout.length > 1 ? ` (${r.traffic})` : ''}`).join(', ');
  if (!readiness) {
    return h('tr', { 'data-workflow': w.name },
      h('th', { scope: 'row' }, link), h('td', null, served),
      h('td', null, modeBadge(w.mode)),
      h('td', { colspan: 2, class: 'error' }, error.message));
  }
  const r = readiness.recommendation;
  return h('tr', { 'data-workflow': w.name },
    h('th', { scope: 'row' }, link),
    h('td', null, served),
    h('td', { class: 'mode' }, modeBadge(readiness.currentMode), ' ', h('span', { class: 'muted' }, modeSourceShort(readiness))),
    h('td', { class: 'supported' }, modeBadge(readiness.supported)),
    h('td', { class: 'recommendation' }, badge(r.kind, `advice-${r.kind}`), ' ', r.text));
}

function modeSourceShort(readiness) {
  switch (readiness.modeSource) {
    case 'override': return `set by ${readiness.override.by}`;
    case 'declared': return 'from the workflow file';
    default: return 'not known';
  }
}

/** `#/workflows/<name>?version=V&compare=A,B`: one workflow's readiness, history and versions. */
export function workflowPage(view, session, name, params) {
  const operator = can(session, 'operator');
  const chosenVersion = params.get('version') ?? '';
  const versionSelect = h('select', { id: 'workflow-version', name: 'version', 'aria-label': 'Version' });
  versionSelect.addEventListener('change', () => {
    location.hash = `#/workflows/${seg(name)}${query({ version: versionSelect.value, compare: params.get('compare') })}`;
  });
  const mode = h('section', { class: 'card', id: 'workflow-mode' });
  const change = h('section', { class: 'card', id: 'mode-change' });
  const advice = h('section', { class: 'card', id: 'recommendation' });
  const evidence = h('div', { class: 'evidence', id: 'evidence' });
  const steps = h('section', { id: 'steps' });
  const history = h('tbody');
  const compare = h('section', { id: 'compare-section' });
  replace(view,
    h('p', { class: 'crumbs' }, h('a', { href: '#/workflows' }, '← Workflows')),
    heading(`Workflow ${name}`, h('label', { class: 'inline' }, 'Evidence of version ', versionSelect)),
    h('div', { class: 'mode-cards' }, mode, change),
    advice,
    h('h2', null, 'Evidence'),
    evidence,
    steps,
    h('h2', null, 'Mode changes'),
    h('table', { id: 'mode-changes' },
      h('thead', null, h('tr', null, ['At', 'Change', 'By', 'Reason', 'The evidence then'].map((c) => h('th', { scope: 'col' }, c)))),
      history),
    compare);

  let form = null;
  let served = null;
  let versionsShown = false;

  const load = async () => {
    if (served === null) {
      served = await get(`/workflows/${seg(name)}`).catch((error) => {
        if (error.status === 404) {
          return false;
        }
        throw error;
      });
    }
    const version = chosenVersion || (served ? served.version : '');
    let readiness;
    let changes;
    try {
      [readiness, changes] = await Promise.all([
        readinessOf(name, version),
        get(`/workflows/${seg(name)}/mode-changes`),
      ]);
    } catch (error) {
      if (error instanceof ApiError && error.error === 'not_configured') {
        replace(mode, h('h2', null, 'Mode'), h('p', { class: 'error', id: 'not-configured' }, error.message));
        return;
      }
      throw error;
    }
    if (!versionsShown) {
      versionsShown = true;
      showVersions(versionSelect, served, readiness.version);
      showCompare(compare, name, served, readiness.version, params);
    }
    renderMode(mode, readiness, served);
    if (operator) {
      form = form ?? modeForm(change, name, load);
      form.update(readiness);
    } else {
      replace(change, h('h2', null, 'Change the mode'),
        h('p', { class: 'muted', id: 'mode-change-denied' }, `Operators and admins change the mode; your role (${session.role}) may look.`));
    }
    renderAdvice(advice, readiness);
    renderEvidence(evidence, readiness);
    renderSteps(steps, readiness);
    replace(history, changes.modeChanges.length === 0
      ? h('tr', null, h('td', { colspan: 5, class: 'empty' }, 'No change yet: the mode is the workflow file\'s.'))
      : changes.modeChanges.map(changeRow));
  };
  const stop = every(10000, load);
  return stop;
}

function showVersions(select, served, assessed) {
  const versions = new Map();
  for (const r of served ? served.rollout : []) {
    versions.set(r.version, `${r.version || '(no version)'} — served${served.rollout.length > 1 ? `, ${r.traffic} of new runs` : ''}`);
  }
  for (const v of served ? served.versions : []) {
    if (!versions.has(v.version)) {
      versions.set(v.version, `${v.version} — ${count(v.runs)} run(s), no longer served`);
    }
  }
  if (!versions.has(assessed)) {
    versions.set(assessed, assessed || '(no version)');
  }
  replace(select, [...versions].map(([v, label]) => h('option', { value: v, selected: v === assessed }, label)));
}

function renderMode(section, readiness, served) {
  const o = readiness.override;
  let source;
  if (readiness.modeSource === 'override') {
    source = h('p', { id: 'mode-source' },
      'Set by ', h('strong', null, o.by), ' at ', timeElement(o.at),
      o.from ? ` (was ${o.from})` : '', o.forced ? [' ', badge('forced', 'warn')] : null,
      ': ', h('q', { class: 'reason' }, o.reason),
      '. It overrides the workflow file\'s mode for every run from then on.');
  } else if (readiness.modeSource === 'declared') {
    source = h('p', { id: 'mode-source' }, 'As the workflow file declares it (policy: mode:); no operator changed it.');
  } else {
    source = h('p', { id: 'mode-source' }, 'Not known: this node does not serve the workflow and no operator changed its mode.');
  }
  replace(section,
    h('h2', null, 'Mode ', h('span', { id: 'current-mode' }, modeBadge(readiness.currentMode))),
    source,
    h('p', null, 'The evidence of version ', h('strong', null, readiness.version || '(none)'),
      ' supports ', h('span', { id: 'supported-mode' }, modeBadge(readiness.supported)), '.'),
    served === false ? h('p', { class: 'muted' }, 'This node does not serve the workflow; its evidence and history are shown all the same.') : null);
}

function renderAdvice(section, readiness) {
  const r = readiness.recommendation;
  const title = {
    advance: `Ready for ${r.mode}`,
    hold: `Stay in ${r.mode}`,
    review: `Review: the evidence does not support ${r.mode}`,
    final: `Stay in ${r.mode}: the end of the sequence`,
  }[r.kind] ?? r.kind;
  const missingFor = r.kind === 'hold' ? `What ${r.next} still needs` : `What ${r.mode} is missing`;
  replace(section,
    h('h2', null, badge(r.kind, `advice-${r.kind}`), ' ', title),
    r.missing.length === 0 ? h('p', { class: 'recommendation-text' }, r.text) : null,
    r.missing.length > 0
      ? [h('h3', null, missingFor), h('ul', { class: 'missing', id: 'missing' }, r.missing.map((m) => h('li', null, m)))]
      : null,
    r.kind === 'review' ? h('p', null, 'The evidence supports ', modeBadge(r.back), '; consider going back to it.') : null);
}

function renderEvidence(container, readiness) {
  const s = readiness.settings;
  const version = readiness.version || '(none)';

  const suites = readiness.suites;
  const suitesCard = h('section', { class: 'card', id: 'evidence-suites' },
    h('h3', null, 'Suite results'),
    h('p', { class: 'muted' }, `The newest result of each suite of version ${version}; every suite needs at least ${percent(s.suitePassRate)} for SUPERVISED and AUTONOMOUS.`),
    suites.length === 0
      ? h('p', { class: 'empty' }, `No suite result for version ${version} yet (bridle eval records them).`)
      : h('table', { class: 'compact' },
        h('thead', null, h('tr', null, ['Suite', 'Passed', 'Pass rate', 'At', 'By'].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', null, suites.map((e) => h('tr', { 'data-suite': e.suite },
          h('th', { scope: 'row' }, e.suite),
          h('td', { class: 'num' }, `${count(e.passed)}/${count(e.total)}`),
          h('td', { class: `num rate ${e.passRate >= s.suitePassRate ? 'met' : 'unmet'}` }, percent(e.passRate)),
          h('td', null, timeElement(e.at)),
          h('td', null, e.by))))));

  const a = readiness.approvals;
  const approvalsCard = h('section', { class: 'card', id: 'evidence-approvals' },
    h('h3', null, 'Approvals'),
    h('p', { class: 'streak' }, h('strong', { id: 'streak' }, count(a.streak)),
      ` approval${a.streak === 1 ? '' : 's'} in a row without an edit`),
    streakMeter('SUPERVISED', a.streak, s.supervisedStreak),
    streakMeter('AUTONOMOUS', a.streak, s.autonomousStreak),
    h('p', { class: 'muted' }, `${count(a.approved)} approved · ${count(a.edited)} edited · ${count(a.rejected)} rejected · ${count(a.responded)} responded`),
    a.brokenBy
      ? h('p', { id: 'streak-broken' }, 'The streak restarted at ', a.brokenBy.approver, '\'s ', a.brokenBy.decision.toLowerCase(),
        ' of ', h('code', null, a.brokenBy.tool), ' in run ', runLink(a.brokenBy.runId), ' at ', timeElement(a.brokenBy.at), '.')
      : null);

  const g = readiness.agreement;
  const tools = Object.entries(g.byTool);
  const agreementCard = h('section', { class: 'card', id: 'evidence-agreement' },
    h('h3', null, 'Shadow agreement'),
    h('p', null, 'Agreed ', h('strong', { id: 'agreement-total' }, tally(g.total)),
      ` — PROPOSE needs at least ${count(s.minimumComparisons)} comparisons and ${percent(s.agreementRate)}.`),
    h('p', { class: 'muted' }, `Shadow runs ${tally(g.shadow)}, approval decisions ${tally(g.approvals)}; `
      + `${count(g.shadowRunsCompared)} shadow run(s) compared, ${count(g.shadowRunsAwaitingDecision)} awaiting what a human did.`),
    tools.length === 0
      ? h('p', { class: 'empty' }, 'Nothing compared yet.')
      : h('table', { class: 'compact', id: 'agreement-by-tool' },
        h('thead', null, h('tr', null, ['Tool', 'Agreed', 'Compared (sample)', 'Rate'].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', null, tools.map(([tool, t]) => h('tr', { 'data-tool': tool },
          h('th', { scope: 'row' }, h('code', null, tool)),
          h('td', { class: 'num' }, count(t.agreed)),
          h('td', { class: 'num' }, count(t.compared)),
          h('td', { class: `num rate ${t.rate !== null && t.rate >= s.agreementRate ? 'met' : 'unmet'}` }, percent(t.rate)))))));

  const f = readiness.feedback;
  const feedbackCard = h('section', { class: 'card', id: 'evidence-feedback' },
    h('h3', null, 'Feedback'),
    f.count === 0
      ? h('p', { class: 'empty' }, 'No rating yet.')
      : h('p', null, h('strong', null, `${f.mean.toFixed(1)} of 5`), ` from ${count(f.count)} rating(s)`));

  replace(container, suitesCard, approvalsCard, agreementCard, feedbackCard,
    readiness.truncated ? h('p', { class: 'warn' }, `Only the newest ${count(readiness.runsRead)} runs were read.`) : null);
}

function streakMeter(mode, streak, needed) {
  return h('label', { class: 'meter' },
    `${mode} needs ${count(needed)}`,
    h('meter', { min: 0, max: needed, value: Math.min(streak, needed), 'data-mode': mode }, `${streak} of ${needed}`));
}

function renderSteps(section, readiness) {
  replace(section,
    h('h2', null, 'Each step\'s checks'),
    h('div', { class: 'steps' }, readiness.steps.map((step) => h('section', { class: 'card step', 'data-step': `${step.from}-${step.to}` },
      h('h3', null, `${step.from} → ${step.to} `, step.ready ? badge('ready', 'ok') : badge('not ready', 'warn')),
      h('ul', { class: 'plain checks' }, step.checks.map((c) => h('li', { 'data-check': c.name },
        c.met ? badge('ok', 'ok') : badge('missing', 'warn'), ' ',
        h('code', null, c.name), ': ', c.actual, h('span', { class: 'muted' }, `, needs ${c.required}`))))))));
}

function changeRow(c) {
  return h('tr', { 'data-seq': c.seq },
    h('td', null, timeElement(c.at)),
    h('td', { class: 'change' }, c.from ? modeBadge(c.from) : '—', ' → ', modeBadge(c.to), c.forced ? [' ', badge('forced', 'warn')] : null),
    h('td', null, c.by),
    h('td', { class: 'reason' }, c.reason),
    h('td', { class: 'muted' }, c.evidence));
}

/** The operator's form: mode, reason (required by the server), force for AUTONOMOUS. */
function modeForm(section, name, reload) {
  let readiness = null;
  const select = h('select', { name: 'mode', id: 'mode-select' }, MODES.map((m) => h('option', { value: m }, m)));
  const reason = h('textarea', {
    name: 'reason', id: 'mode-reason', rows: 2, maxlength: MAX_REASON_CHARS,
    placeholder: 'why: the evidence, the incident, who agreed', 'aria-describedby': 'mode-problem',
  });
  const force = h('input', { type: 'checkbox', name: 'force', id: 'mode-force', disabled: true });
  const problem = h('p', { class: 'error', id: 'mode-problem', role: 'alert', hidden: true });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Change mode');
  const form = h('form', { id: 'mode-form', class: 'mode-form' },
    h('label', null, 'New mode', select),
    h('label', null, 'Reason (recorded with your name)', reason),
    h('label', { class: 'check' }, force,
      ' Force AUTONOMOUS although the evidence does not support it (recorded as forced)'),
    problem,
    h('div', { class: 'actions' }, submit));
  replace(section, h('h2', null, 'Change the mode'), form);

  const syncForce = () => {
    force.disabled = select.value !== 'AUTONOMOUS';
    if (force.disabled) {
      force.checked = false;
    }
    submit.className = force.checked ? 'danger' : 'primary';
  };
  select.addEventListener('change', syncForce);
  force.addEventListener('change', syncForce);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    problem.hidden = true;
    reason.removeAttribute('aria-invalid');
    const body = { mode: select.value, reason: reason.value.trim() };
    if (force.checked) {
      const answer = await confirmDialog({
        title: `Force ${name} into AUTONOMOUS?`,
        body: readiness && readiness.supported !== 'AUTONOMOUS'
          ? `The evidence supports only ${readiness.supported}. Effects up to the policy's limit will run without a human, and the change is recorded as forced.`
          : 'The change is recorded as forced.',
        confirm: 'Force AUTONOMOUS', danger: true,
      });
      if (!answer) {
        return;
      }
      body.force = true;
    }
    submit.disabled = true;
    try {
      const changed = await post(`/workflows/${seg(name)}/mode`, body);
      flash(`${name} is in ${changed.to} now${changed.from ? ` (was ${changed.from})` : ''}${changed.forced ? ', forced' : ''}.`, 'ok');
      reason.value = '';
      force.checked = false;
      syncForce();
      await reload();
    } catch (error) {
      problem.textContent = error.message;
      if (error instanceof ApiError && error.error === 'not_ready') {
        problem.append(' Tick "Force" to change it anyway; the change is then recorded as forced.');
      }
      if (error instanceof ApiError && error.field === 'reason') {
        reason.setAttribute('aria-invalid', 'true');
        reason.focus();
      }
      problem.hidden = false;
    } finally {
      submit.disabled = false;
    }
  });

  let preset = false;
  return {
    update(latest) {
      readiness = latest;
      for (const option of select.options) {
        const current = option.value === latest.currentMode;
        option.disabled = current;
        option.textContent = current ? `${option.value} (current)` : option.value;
      }
      if (!preset || select.value === latest.currentMode) {
        preset = true;
        select.value = suggestedMode(latest);
        syncForce();
      }
    },
  };
}

/** The mode the form offers first: the one the recommendation points to, never the current one. */
function suggestedMode(readiness) {
  const r = readiness.recommendation;
  const pointed = { advance: r.mode, hold: r.next, review: r.back }[r.kind];
  return pointed && pointed !== readiness.currentMode
    ? pointed
    : MODES.find((m) => m !== readiness.currentMode);
}

/** Versions side by side (GET /workflows/{name}/compare), chosen in the page's address. */
function showCompare(section, name, served, assessed, params) {
  const seen = served ? served.versions.map((v) => v.version) : [];
  const servedVersions = served ? served.rollout.map((r) => r.version).filter((v) => v) : [];
  const fallback = [...new Set([...seen, ...servedVersions, assessed].filter((v) => v))].slice(-MAX_COMPARED);
  const chosen = (params.get('compare') ?? fallback.join(',')).split(',').map((v) => v.trim()).filter((v) => v);
  const input = h('input', {
    id: 'compare-versions', name: 'versions', value: chosen.join(','), size: 24,
    placeholder: 'e.g. 3,4', spellcheck: 'false',
  });
  const form = h('form', { class: 'filters', id: 'compare-form' },
    h('label', null, 'Versions ', input),
    h('button', { type: 'submit', class: 'secondary' }, 'Compare'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    location.hash = `#/workflows/${seg(name)}${query({ version: params.get('version'), compare: input.value.replace(/\s+/g, '') })}`;
  });
  const table = h('div', { id: 'compare' });
  replace(section, h('h2', null, 'Versions side by side'), form, table);
  if (chosen.length === 0) {
    replace(table, h('p', { class: 'empty' }, 'No version has runs yet.'));
    return;
  }
  get(`/workflows/${seg(name)}/compare${query({ versions: chosen.join(',') })}`)
    .then((compared) => replace(table, compareTable(compared.versions)))
    .catch((error) => replace(table, h('p', { class: 'error', role: 'alert' }, error.message)));
}

function compareTable(versions) {
  const row = (label, cell) => h('tr', null, h('th', { scope: 'row' }, label),
    versions.map((v) => h('td', { 'data-version': v.version }, cell(v))));
  const outcomes = (v) => {
    const entries = Object.entries(v.outcomes);
    return entries.length === 0 ? '—' : entries.map(([status, n]) => `${status.toLowerCase()} ${count(n)}`).join(' · ');
  };
  return h('table', { class: 'compare' },
    h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Version'),
      versions.map((v) => h('th', { scope: 'col' }, v.version)))),
    h('tbody', null,
      row('Runs', (v) => count(v.runs)),
      row('Outcomes', outcomes),
      row('Suites (newest each)', (v) => (v.suites.length === 0 ? '—'
        : h('ul', { class: 'plain' }, v.suites.map((e) => h('li', null, `${e.suite}: ${e.passed}/${e.total} (${percent(e.passRate)})`))))),
      row('Lowest suite pass rate', (v) => percent(v.lowestSuitePassRate)),
      row('Approvals', (v) => `${count(v.approvals.approved)} approved · ${count(v.approvals.edited)} edited · ${count(v.approvals.rejected)} rejected · ${count(v.approvals.responded)} responded`),
      row('Approval streak', (v) => count(v.approvals.streak)),
      row('Agreement', (v) => tally(v.agreement.total)),
      row('Tokens', (v) => count(v.tokens)),
      row('Cost', (v) => [usd(v.costUsd), v.unpricedModelCalls ? h('span', { class: 'muted' }, ` (+${count(v.unpricedModelCalls)} unpriced calls)`) : null]),
      row('Cost per run', (v) => usd(v.costPerRunUsd)),
      row('Rating', (v) => (v.feedback.count === 0 ? '—' : `${v.feedback.mean.toFixed(1)} of 5 (${count(v.feedback.count)})`))));
}
