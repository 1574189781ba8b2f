// The approvals inbox: each pending call with what the approver needs to decide (the task, why it
// escalated, the effect preview, the arguments, what the agent tried and gathered), and the
// decisions: approve in one click, approve with edited arguments, reject with a reason (for a call
// in doubt: run it again, or say what happened).

import { ApiError, get, post, seg } from './api.js';
import { badge, fact, h, pre, prettyJson, replace, runLink, timeElement } from './dom.js';
import { can, every, flash, heading } from './ui.js';

export function approvalsPage(view, session, refreshBadge) {
  const inbox = h('div', { class: 'inbox', id: 'inbox' });
  const empty = h('p', { class: 'empty', id: 'inbox-empty', hidden: true }, 'Nothing waits for a decision.');
  replace(view,
    heading('Approvals'),
    h('p', { class: 'muted' }, 'Calls waiting for a human, oldest first. ',
      can(session, 'approver') ? '' : `Your role (${session.role}) may look but not decide.`),
    empty, inbox);

  const cards = new Map();
  const load = async () => {
    const { approvals } = await get('/approvals');
    const pending = new Set(approvals.map((a) => a.id));
    for (const [id, card] of cards) {
      if (!pending.has(id) && !card.busy) {
        card.element.remove();
        cards.delete(id);
      }
    }
    for (const item of approvals) {
      if (!cards.has(item.id)) {
        const card = approvalCard(item, session, () => {
          card.element.remove();
          cards.delete(item.id);
          empty.hidden = cards.size > 0;
          refreshBadge().catch(() => {});
        });
        cards.set(item.id, card);
        inbox.append(card.element);
      }
    }
    empty.hidden = cards.size > 0;
  };
  return every(3000, load);
}

function approvalCard(item, session, decided) {
  const card = { busy: false, element: null };
  const problem = h('p', { class: 'error decision-error', role: 'alert', hidden: true });
  const mayDecide = can(session, 'approver');
  const ownRequest = item.fourEyes && item.requester === session.principal;

  const decide = async (body, done) => {
    card.busy = true;
    problem.hidden = true;
    for (const button of card.element.querySelectorAll('button')) {
      button.disabled = true;
    }
    try {
      const result = await post(`/approvals/${seg(item.runId)}/${seg(item.callId)}/decision`, body);
      flash(h('span', null, `${done} ${item.toolName} of run `, runLink(item.runId), `; the run continues (${result.decision.toLowerCase()} by ${result.approver}).`), 'ok');
      card.busy = false;
      decided();
    } catch (error) {
      card.busy = false;
      for (const button of card.element.querySelectorAll('button')) {
        button.disabled = false;
      }
      if (error instanceof ApiError && error.error === 'already_decided') {
        flash(`${item.id} was decided meanwhile.`, 'info');
        decided();
        return;
      }
      problem.textContent = error.message;
      problem.hidden = false;
    }
  };

  // Edit panel: the arguments as JSON, checked here for syntax and by the server for the schema.
  const argumentsField = h('textarea', { class: 'code', name: 'arguments', rows: 8, spellcheck: 'false', 'aria-label': 'Edited arguments (JSON)' });
  const editPanel = h('form', { class: 'panel edit-panel', hidden: true },
    h('label', null, 'Arguments (JSON); a value the server redacted must be given again', argumentsField),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'primary' }, 'Approve with these arguments'),
      h('button', { type: 'button', class: 'secondary', onclick: () => { editPanel.hidden = true; card.busy = false; } }, 'Cancel')));
  editPanel.addEventListener('submit', (event) => {
    event.preventDefault();
    let parsed;
    try {
      parsed = JSON.parse(argumentsField.value);
    } catch (error) {
      problem.textContent = `The arguments are not valid JSON: ${error.message}`;
      problem.hidden = false;
      return;
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      problem.textContent = 'The arguments must be a JSON object, like {"name": "value"}.';
      problem.hidden = false;
      return;
    }
    decide({ decision: 'edit', arguments: parsed }, 'Approved (edited)');
  });

  // Reject (or respond) panel: the message the model is told.
  const messageField = h('textarea', { name: 'message', rows: 3, maxlength: 4000 });
  let panelDecision = 'reject';
  const messageLabel = h('span');
  const messageSubmit = h('button', { type: 'submit', class: 'danger' });
  const messagePanel = h('form', { class: 'panel message-panel', hidden: true },
    h('label', null, messageLabel, messageField),
    h('div', { class: 'actions' }, messageSubmit,
      h('button', { type: 'button', class: 'secondary', onclick: () => { messagePanel.hidden = true; card.busy = false; } }, 'Cancel')));
  messagePanel.addEventListener('submit', (event) => {
    event.preventDefault();
    const message = messageField.value.trim();
    if (!message) {
      problem.textContent = panelDecision === 'reject' ? 'Say why, so the agent can do better.' : 'Say what happened.';
      problem.hidden = false;
      return;
    }
    decide({ decision: panelDecision, message }, panelDecision === 'reject' ? 'Rejected' : 'Answered');
  });
  const openMessage = (decision) => {
    panelDecision = decision;
    messageLabel.textContent = decision === 'reject'
      ? 'Why not (the agent is told this)'
      : 'What happened (the agent gets this in place of the tool\'s result)';
    messageSubmit.textContent = decision === 'reject' ? 'Reject' : 'Send answer';
    messageSubmit.className = decision === 'reject' ? 'danger' : 'primary';
    editPanel.hidden = true;
    messagePanel.hidden = false;
    card.busy = true;
    messageField.focus();
  };
  const openEdit = () => {
    argumentsField.value = prettyJson(item.arguments);
    messagePanel.hidden = true;
    editPanel.hidden = false;
    card.busy = true;
    argumentsField.focus();
  };

  const buttons = [];
  if (mayDecide && !ownRequest) {
    if (item.kind === 'IN_DOUBT') {
      buttons.push(
        h('button', { type: 'button', class: 'primary', 'data-action': 'approve', onclick: () => decide({ decision: 'approve' }, 'Ran again') }, 'Run it again'),
        h('button', { type: 'button', class: 'secondary', 'data-action': 'respond', onclick: () => openMessage('respond') }, 'It happened: say what…'),
        h('button', { type: 'button', class: 'secondary', 'data-action': 'reject', onclick: () => openMessage('reject') }, 'Reject…'));
    } else {
      buttons.push(
        h('button', { type: 'button', class: 'primary', 'data-action': 'approve', onclick: () => decide({ decision: 'approve' }, 'Approved') }, 'Approve'),
        h('button', { type: 'button', class: 'secondary', 'data-action': 'edit', onclick: openEdit }, 'Edit arguments…'),
        h('button', { type: 'button', class: 'secondary', 'data-action': 'reject', onclick: () => openMessage('reject') }, 'Reject…'));
    }
  }

  const context = item.context ?? {};
  card.element = h('article', { class: 'approval', 'data-approval': item.id, 'data-run': item.runId },
    h('header', null,
      h('h2', null, item.kind === 'IN_DOUBT' ? 'In doubt: ' : '', h('code', null, item.toolName)),
      badge(item.kind === 'IN_DOUBT' ? 'in doubt' : 'approval', item.kind),
      item.fourEyes ? badge('four eyes', 'warn') : null),
    h('p', { class: 'meta' },
      `${item.workflow} @${item.workflowVersion} · requested by ${item.requester} · `,
      timeElement(item.requestedAt), ' · expires ', timeElement(item.expiresAt),
      item.onTimeout ? ` (then ${item.onTimeout.toLowerCase()})` : '', ' · run ', runLink(item.runId)),
    h('dl', { class: 'facts context' },
      fact('Task', h('span', { class: 'task' }, context.task ?? '')),
      fact('Why it escalated', item.reason),
      item.preview ? fact('Effect preview', h('strong', { class: 'preview' }, item.preview)) : null,
      fact('Arguments', pre(item.arguments)),
      fact('What it tried', (context.tried ?? []).length === 0 ? 'nothing else'
        : h('ul', { class: 'plain' }, context.tried.map((c) => h('li', null, h('code', null, c.toolName), ' ', badge(c.status, 'call'), ' ', h('code', { class: 'args' }, c.arguments))))),
      fact('What it gathered', (context.gathered ?? []).length === 0 ? 'nothing'
        : h('ul', { class: 'plain' }, context.gathered.map((g) => h('li', null, h('code', null, g.toolName), pre(g.result)))))),
    ownRequest ? h('p', { class: 'muted' }, 'You requested this run and the tool needs four eyes: someone else decides.') : null,
    problem,
    buttons.length ? [h('div', { class: 'actions' }, ...buttons), editPanel, messagePanel] : null);
  return card;
}
