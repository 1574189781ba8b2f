// One run: what it is, how it ended or what it waits on, what an operator may do with it, and
// its timeline (every model call, tool call, guard result, policy decision and approval, with
// latency, tokens, cost, arguments and results as the server redacted them), followed live over
// the run's event stream while it is active.

import { get, post, query, seg, stream } from './api.js';
import {
  badge, count, cut, duration, fact, h, pre, replace, time, timeElement, usd,
} from './dom.js';
import { actionButton, can, confirmDialog, flash } from './ui.js';

/** Every event type the stream names (the SSE event field). */
const EVENT_TYPES = [
  'RunSubmitted', 'RunStarted', 'RunResumed', 'RunSuspended', 'ModelResponded',
  'BudgetThresholdCrossed', 'ToolCallProposed', 'ToolCallRejected', 'ToolCallStarted',
  'ToolCallInDoubt', 'ToolCallCompleted', 'PolicyDecided', 'ToolCallShadowed',
  'ApprovalRequested', 'ApprovalDecided', 'GuardTripped', 'RunKilled', 'RunCancelled',
  'ChangeReverted', 'RunCompleted', 'RunFailed', 'EvaluationScored',
];
const ENDED = new Set(['COMPLETED', 'FAILED', 'CANCELLED']);

export function runPage(view, session, runId) {
  const title = h('div', { class: 'page-head' });
  const live = h('span', { class: 'live', id: 'live', hidden: true, title: 'Following the run as it happens' }, 'live');
  const facts = h('dl', { class: 'facts', id: 'run-facts' });
  const outcome = h('section', { class: 'outcome', id: 'run-outcome' });
  const actions = h('div', { class: 'actions', id: 'run-actions' });
  const timeline = h('ol', { class: 'timeline', id: 'timeline' });
  replace(view,
    h('p', { class: 'crumbs' }, h('a', { href: '#/runs' }, '← Runs')),
    title, facts, outcome, actions,
    h('div', { class: 'section-head' }, h('h2', null, 'Timeline'), live,
      h('span', { class: 'muted' }, 'Arguments, results and names are shown as the server redacted them.')),
    timeline);

  const seen = new Set();
  let lastSeq = 0;
  let firstAt = null;
  let source = null;
  let left = false;
  let refreshTimer = null;
  let shownStatus = null;
  let finished = false;

  const add = (entry) => {
    if (seen.has(entry.seq)) {
      return;
    }
    seen.add(entry.seq);
    lastSeq = Math.max(lastSeq, entry.seq);
    const at = Date.parse(entry.event.at);
    if (firstAt === null) {
      firstAt = at;
    }
    timeline.append(item(entry, at - firstAt));
  };

  const refresh = async () => {
    const [shown, spend, feedback] = await Promise.all([
      get(`/runs/${seg(runId)}`),
      get(`/spend/runs${query({ ids: runId })}`),
      // 501 on a node without deployment evidence: the run page shows no ratings then
      get(`/runs/${seg(runId)}/feedback`).catch(() => null),
    ]);
    if (left) {
      return shown;
    }
    shownStatus = shown.run.status;
    renderTitle(title, shown.run, live);
    renderFacts(facts, shown, spend.runs[0], feedback);
    renderOutcome(outcome, shown);
    renderActions(actions, session, shown, refresh);
    return shown;
  };
  const refreshSoon = () => {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(() => refresh().catch(() => {}), 150);
  };

  const follow = () => {
    source = stream(runId, lastSeq);
    live.hidden = false;
    for (const type of EVENT_TYPES) {
      source.addEventListener(type, (message) => {
        add(JSON.parse(message.data));
        refreshSoon();
      });
    }
    source.addEventListener('end', () => {
      finished = true;
      source.close();
      live.hidden = true;
      refreshSoon();
    });
    source.addEventListener('error', () => {
      if (source.readyState === EventSource.CLOSED) {
        live.hidden = true;
      }
    });
  };

  const load = async () => {
    let more = true;
    while (more && !left) {
      const page = await get(`/runs/${seg(runId)}/events${query({ after: lastSeq || null })}`);
      page.events.forEach(add);
      more = page.more;
    }
    const shown = await refresh();
    if (!left && !shown.outcome.ended) {
      follow();
    }
  };
  load().catch((error) => {
    replace(facts);
    replace(title, h('h1', null, 'Run ', h('code', null, runId)));
    replace(outcome, h('p', { class: 'error' }, error.message));
  });

  // A run revived after a kill goes on, possibly after its stream was closed by the server.
  const watchdog = setInterval(() => {
    if (!left && !finished && source && source.readyState === EventSource.CLOSED && shownStatus && !ENDED.has(shownStatus)) {
      follow();
    }
  }, 3000);

  return () => {
    left = true;
    clearInterval(watchdog);
    clearTimeout(refreshTimer);
    source?.close();
  };
}

function renderTitle(title, run, live) {
  replace(title,
    h('h1', null, 'Run ', h('code', { id: 'run-id' }, run.id)),
    h('div', { class: 'page-tools' }, h('span', { id: 'run-status' }, badge(run.status)), live));
}

function renderFacts(facts, shown, spend, feedback) {
  const run = shown.run;
  const ended = ENDED.has(run.status);
  const elapsed = (ended ? Date.parse(run.updatedAt) : Date.now()) - Date.parse(run.createdAt);
  replace(facts,
    fact('Workflow', run.workflow, run.workflowVersion ? ` @${run.workflowVersion}` : ''),
    fact('Definition', run.definitionHash
      ? h('code', { title: 'SHA-256 of the instructions, tools and policy version' }, cut(run.definitionHash, 19))
      : '—'),
    fact('User', run.user),
    fact('Task', h('span', { class: 'task' }, run.task)),
    fact('Started', timeElement(run.createdAt)),
    fact(ended ? 'Ended' : 'Last event', timeElement(run.updatedAt)),
    fact('Duration', duration(elapsed), ended ? '' : ' so far'),
    fact('Steps', count(run.steps)),
    fact('Tokens', `${count(run.usage.inputTokens)} in / ${count(run.usage.outputTokens)} out`,
      run.usage.cachedInputTokens ? ` (${count(run.usage.cachedInputTokens)} cached)` : ''),
    fact('Cost', h('span', { id: 'run-cost' }, spend ? usd(spend.costUsd) : '—'),
      spend && spend.unpricedCalls > 0 ? h('span', { class: 'muted' }, ` (${spend.unpricedCalls} call(s) without a price)`) : ''),
    fact('Model', spend && spend.models.length ? spend.models.join(', ') : '—'),
    fact('Feedback', feedbackOf(feedback)),
    fact('Tool calls', shown.toolCalls.length === 0 ? 'none'
      : h('ul', { class: 'plain' }, shown.toolCalls.map((c) => h('li', null, h('code', null, c.toolName), ' ', badge(c.status, 'call'))))));
}

/** The ratings on the run (1–5) with who gave them and their comments, as text. */
function feedbackOf(feedback) {
  if (!feedback) {
    return '—';
  }
  if (feedback.feedback.length === 0) {
    return 'no rating yet';
  }
  return h('ul', { class: 'plain', id: 'run-feedback' }, feedback.feedback.map((f) =>
    h('li', null, `${f.rating}/5 by ${f.by}`, f.comment ? h('span', { class: 'muted' }, ` — ${f.comment}`) : '')));
}

function renderOutcome(outcome, shown) {
  const o = shown.outcome;
  const parts = [];
  if (o.status === 'COMPLETED') {
    parts.push(h('h2', null, 'Answer'), pre(o.answer));
  } else if (o.status === 'FAILED') {
    parts.push(h('h2', null, 'Failed: ', o.kind), h('p', { class: 'error' }, o.reason));
  } else if (o.status === 'CANCELLED') {
    parts.push(h('h2', null, 'Cancelled'), h('p', null, `by ${o.by}`, o.reason ? `: ${o.reason}` : ''));
  } else if (o.status === 'SUSPENDED') {
    parts.push(h('h2', null, 'Waiting for a human'),
      o.reason ? h('p', null, o.reason) : null,
      (o.waitingOn ?? []).length
        ? h('p', null, 'Waiting on ', (o.waitingOn ?? []).map((id) => h('code', null, id)), ' — ', h('a', { href: '#/approvals' }, 'decide in the approvals inbox'))
        : null);
  } else if (o.status === 'KILLED') {
    parts.push(h('h2', null, 'Stopped by a kill switch'), o.reason ? h('p', null, o.reason) : null);
  }
  replace(outcome, ...parts);
  outcome.hidden = parts.length === 0;
}

function renderActions(actions, session, shown, refresh) {
  const run = shown.run;
  if (!can(session, 'operator')) {
    replace(actions);
    return;
  }
  const buttons = [];
  if (run.status === 'KILLED') {
    buttons.push(actionButton('Resume', { class: 'primary', id: 'resume-run' }, async () => {
      await post(`/runs/${seg(run.id)}/resume`);
      flash(`Run ${run.id} resumes.`);
      await refresh();
    }, 'Resuming'));
  }
  if (!shown.outcome.ended) {
    buttons.push(actionButton('Cancel run…', { class: 'secondary', id: 'cancel-run' }, async () => {
      const answer = await confirmDialog({
        title: 'Cancel this run?',
        body: 'It ends without finishing. What it changed stays; revert that separately.',
        confirm: 'Cancel run', danger: true,
        reason: { label: 'Reason (optional)', placeholder: 'why it should not go on' },
      });
      if (answer) {
        await post(`/runs/${seg(run.id)}/cancel`, answer.reason ? { reason: answer.reason } : undefined);
        flash(`Run ${run.id} cancelled.`);
        await refresh();
      }
    }, 'Cancelling'));
  }
  buttons.push(actionButton('Revert its changes…', { class: 'secondary', id: 'revert-run' }, async () => {
    if (await confirmRevert(`run ${run.id}`)) {
      showRevertReport(await post(`/runs/${seg(run.id)}/revert`));
      await refresh();
    }
  }, 'Reverting'));
  replace(actions, ...buttons);
}

/** Asks whether to revert; shared with the audit page. */
export function confirmRevert(what) {
  return confirmDialog({
    title: `Revert the changes of ${what}?`,
    body: 'Bridle runs the inverse call of each change, newest first, and records each on its run. Changes already reverted are skipped.',
    confirm: 'Revert', danger: true,
  });
}

/** Says what a revert did. */
export function showRevertReport(report) {
  const done = report.reverted.filter((r) => r.status === 'SUCCEEDED').length;
  const failed = report.reverted.length - done;
  const parts = [`${done} change${done === 1 ? '' : 's'} reverted`];
  if (failed > 0) {
    parts.push(`${failed} inverse call${failed === 1 ? '' : 's'} failed`);
  }
  if (report.notReverted.length > 0) {
    parts.push(`${report.notReverted.length} cannot be reverted (${report.notReverted.map((n) => `${n.toolName}: ${n.why}`).join('; ')})`);
  }
  flash(`${parts.join(', ')}.`, report.complete ? 'ok' : 'error');
}

function item(entry, offsetMs) {
  const event = entry.event;
  const d = describe(event);
  return h('li', { class: `event tone-${d.tone}`, 'data-type': event.type, 'data-seq': entry.seq },
    h('div', { class: 'event-when' }, h('time', { datetime: event.at, title: event.at }, time(event.at).slice(11)),
      h('span', { class: 'muted' }, ` +${duration(offsetMs)}`)),
    h('div', { class: 'event-body' },
      h('div', { class: 'event-title' }, d.title),
      d.chips.length ? h('ul', { class: 'chips' }, d.chips.filter(Boolean).map((c) => h('li', null, c))) : null,
      d.text ? h('p', { class: 'event-text' }, d.text) : null,
      d.details.filter(([, content]) => content !== null && content !== undefined && content !== '')
        .map(([label, content, open]) => h('details', { open: Boolean(open) }, h('summary', null, label), pre(content)))));
}

const TITLE_CASE = (text) => String(text ?? '').toLowerCase().replace(/_/g, ' ');

/** What an event says: title, tone, facts as chips, a line of text, and expandable details. */
function describe(e) {
  const d = { title: e.type, tone: 'info', chips: [], text: null, details: [] };
  switch (e.type) {
    case 'RunSubmitted':
      return { ...d, title: 'Submitted', chips: [`for ${e.user}`], details: [['Task', e.task]] };
    case 'RunStarted':
      return { ...d, title: 'Started', chips: [e.agent, e.modelId, e.definitionHash ? cut(e.definitionHash, 19) : null], details: [['Task', e.task], ['Instructions', e.instructions]] };
    case 'RunResumed':
      return { ...d, title: 'Resumed', chips: [e.by ? `by ${e.by}` : null] };
    case 'RunSuspended':
      return { ...d, title: 'Suspended: waiting for a human', tone: 'approval', text: e.reason };
    case 'ModelResponded': {
      const u = e.usage ?? {};
      const calls = e.message?.toolCalls ?? [];
      return {
        ...d,
        title: `Model call · step ${e.step}`,
        tone: 'model',
        chips: [e.modelId, `${count(e.latencyMillis)} ms`, `${count(u.inputTokens)} in / ${count(u.outputTokens)} out tokens`,
          u.cachedInputTokens ? `${count(u.cachedInputTokens)} cached` : null,
          e.costUsd === null || e.costUsd === undefined ? 'no price' : usd(e.costUsd),
          calls.length ? `asks for ${calls.map((c) => c.name).join(', ')}` : 'answers'],
        details: [['Text', e.message?.text], ['Tool calls', calls.length ? calls : null]],
      };
    }
    case 'BudgetThresholdCrossed':
      return { ...d, title: e.hard ? 'Budget exhausted' : 'Budget threshold crossed', tone: e.hard ? 'error' : 'warn', text: e.message };
    case 'ToolCallProposed':
      return { ...d, title: `Tool call proposed: ${e.toolName}`, tone: 'tool', chips: [e.callId], details: [['Arguments', e.arguments, true]] };
    case 'PolicyDecided':
      return {
        ...d, title: `Policy: ${e.verdict} ${e.toolName}`, tone: e.verdict === 'DENY' ? 'error' : 'policy',
        chips: [e.rule ? `rule ${e.rule}` : null, e.policyVersion], text: e.reason,
      };
    case 'ToolCallRejected':
      return { ...d, title: `Tool call refused (${TITLE_CASE(e.reason)}): ${e.toolName}`, tone: 'error', chips: [e.callId], details: [['Told the model', e.observation, true]] };
    case 'ToolCallStarted':
      return {
        ...d, title: `Tool call started: ${e.toolName}`, tone: 'tool',
        chips: [e.effect, e.idempotent ? 'idempotent' : 'not idempotent', e.callId], details: [['Arguments', e.arguments]],
      };
    case 'ToolCallInDoubt':
      return { ...d, title: `Tool call in doubt: ${e.toolName}`, tone: 'error', chips: [e.callId], text: e.reason };
    case 'ToolCallCompleted': {
      const ok = e.status === 'SUCCEEDED';
      return {
        ...d,
        title: `Tool call ${TITLE_CASE(e.status)}: ${e.toolName}`,
        tone: ok ? 'ok' : 'error',
        chips: [`${count(e.durationMillis)} ms`, e.callId],
        details: [['Result', e.observation, true], ['Change', e.change ?? null]],
      };
    }
    case 'ToolCallShadowed':
      return { ...d, title: `Shadowed (not run): ${e.toolName}`, tone: 'tool', chips: [e.effect, e.callId], details: [['Arguments', e.arguments], ['Told the model', e.observation]] };
    case 'ApprovalRequested':
      return {
        ...d,
        title: `Approval requested: ${e.toolName}`,
        tone: 'approval',
        chips: [e.effect, `expires ${time(e.expiresAt)}`, `on timeout ${TITLE_CASE(e.onTimeout)}`, e.fourEyes ? 'four eyes' : null],
        text: e.reason,
        details: [['Effect preview', e.preview, true], ['Arguments', e.arguments]],
      };
    case 'ApprovalDecided': {
      const word = { APPROVE: 'Approved', EDIT: 'Approved with edited arguments', REJECT: 'Rejected', RESPOND: 'Answered in place of the tool' }[e.decision] ?? e.decision;
      return {
        ...d,
        title: `${word} by ${e.approver}`,
        tone: e.decision === 'REJECT' ? 'error' : 'approval',
        chips: [e.callId],
        text: e.message || null,
        details: [['Arguments', e.decision === 'EDIT' ? e.arguments : null, true]],
      };
    }
    case 'GuardTripped':
      return {
        ...d,
        title: e.kind === 'REASK' ? `Guard ${e.guard} asked the model to try again` : `Guard ${e.guard}: ${TITLE_CASE(e.kind)}`,
        tone: e.kind === 'BLOCK' ? 'error' : 'warn',
        chips: [TITLE_CASE(e.stage), e.toolName, e.callId],
        text: e.reason,
      };
    case 'RunKilled':
      return { ...d, title: 'Stopped by a kill switch', tone: 'error', text: e.reason };
    case 'RunCancelled':
      return { ...d, title: `Cancelled by ${e.by}`, tone: 'error', text: e.reason };
    case 'ChangeReverted':
      return {
        ...d, title: `Change reverted: ${e.toolName} undone by ${e.inverseTool}`, tone: e.status === 'SUCCEEDED' ? 'ok' : 'error',
        chips: [TITLE_CASE(e.status), `by ${e.by}`, e.callId], details: [['Inverse arguments', e.inverseArguments], ['Result', e.observation]],
      };
    case 'RunCompleted':
      return { ...d, title: 'Completed', tone: 'ok', chips: [`${e.steps} step(s)`], details: [['Answer', e.answer, true]] };
    case 'RunFailed':
      return { ...d, title: `Failed: ${TITLE_CASE(e.kind)}`, tone: 'error', text: e.reason };
    case 'EvaluationScored':
      return {
        ...d,
        title: e.passed ? 'Online checks passed' : 'Online checks failed',
        tone: e.passed ? 'ok' : 'error',
        chips: [`sample ${e.sample}`],
        details: [['Checks', (e.checks ?? []).map((c) => `${c.passed ? 'ok' : 'FAILED'} ${c.check}: ${c.detail}`).join('\n')]],
      };
    default:
      return { ...d, details: [['Event', cut(JSON.stringify(e), 4000)]] };
  }
}
