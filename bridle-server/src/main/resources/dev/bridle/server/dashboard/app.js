// The dashboard's entry: the session, the login page, and the pages by the location's hash
// (#/runs, #/runs/<id>, #/approvals, #/kill-switches, #/audit, #/spend, #/workflows,
// #/workflows/<name>).

import { ApiError, get, post, setCsrfToken, whenUnauthorized } from './api.js';
import { h, replace } from './dom.js';
import { every, flash, showError } from './ui.js';
import { runsPage } from './runs.js';
import { runPage } from './run.js';
import { approvalsPage } from './approvals.js';
import { killSwitchesPage } from './kill-switches.js';
import { auditPage } from './audit.js';
import { spendPage } from './spend.js';
import { workflowPage, workflowsPage } from './workflows.js';

const view = document.getElementById('view');
const topbar = document.getElementById('topbar');

let session = null;
let leavePage = () => {};
let stopBadge = () => {};

const PAGES = [
  { pattern: /^\/runs\/([^/?]+)$/, section: 'runs', show: (args) => runPage(view, session, decodeURIComponent(args[0])) },
  { pattern: /^\/runs$/, section: 'runs', show: (args, params) => runsPage(view, session, params) },
  { pattern: /^\/approvals$/, section: 'approvals', show: () => approvalsPage(view, session, refreshBadge) },
  { pattern: /^\/kill-switches$/, section: 'kill-switches', show: () => killSwitchesPage(view, session) },
  { pattern: /^\/audit$/, section: 'audit', show: (args, params) => auditPage(view, session, params) },
  { pattern: /^\/spend$/, section: 'spend', show: (args, params) => spendPage(view, session, params) },
  { pattern: /^\/workflows\/([^/?]+)$/, section: 'workflows', show: (args, params) => workflowPage(view, session, decodeURIComponent(args[0]), params) },
  { pattern: /^\/workflows$/, section: 'workflows', show: () => workflowsPage(view, session) },
];

async function start() {
  whenUnauthorized(() => {
    if (session) {
      showLogin();
      flash('The session has ended; log in again.', 'error');
    }
  });
  try {
    const current = await get('/session');
    if (current.csrfToken) {
      enter(current);
      return;
    }
    showLogin();
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 401) {
      showError(error, 'Loading the session');
    }
    showLogin();
  }
}

function showLogin() {
  leavePage();
  leavePage = () => {};
  stopBadge();
  session = null;
  setCsrfToken(null);
  topbar.hidden = true;
  const token = h('input', {
    id: 'token', name: 'token', type: 'password', autocomplete: 'off', spellcheck: 'false',
    required: true, placeholder: 'brl_…', 'aria-describedby': 'token-help',
  });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Log in');
  const form = h('form', { class: 'login', id: 'login' },
    h('h1', null, 'Bridle'),
    h('label', { for: 'token' }, 'API token'),
    token,
    h('p', { id: 'token-help', class: 'muted' },
      'Paste an API token. It opens a session in this browser and is not kept on the page.'),
    submit);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    submit.disabled = true;
    const secret = token.value.trim();
    token.value = '';
    try {
      enter(await post('/login', { token: secret }));
    } catch (error) {
      showError(error, 'Logging in');
      token.focus();
    } finally {
      submit.disabled = false;
    }
  });
  replace(view, form);
  token.focus();
}

function enter(opened) {
  session = { principal: opened.principal, role: opened.role, expiresAt: opened.expiresAt };
  setCsrfToken(opened.csrfToken);
  replace(document.getElementById('who'), h('span', { class: 'principal' }, session.principal), ' · ',
    h('span', { class: 'role' }, session.role));
  topbar.hidden = false;
  document.getElementById('flash').replaceChildren();
  stopBadge = every(5000, refreshBadge);
  if (!location.hash || location.hash === '#' || location.hash === '#/') {
    location.replace('#/runs');
  }
  route();
}

async function refreshBadge() {
  if (!session) {
    return;
  }
  const inbox = await get('/approvals?limit=1000');
  const badge = document.getElementById('approval-count');
  badge.textContent = String(inbox.approvals.length);
  badge.hidden = inbox.approvals.length === 0;
}

function route() {
  if (!session) {
    return;
  }
  leavePage();
  leavePage = () => {};
  const hash = location.hash.replace(/^#/, '') || '/runs';
  const [path, search] = hash.split('?');
  const params = new URLSearchParams(search ?? '');
  const page = PAGES.find((p) => p.pattern.test(path));
  for (const link of document.querySelectorAll('#nav a')) {
    link.classList.toggle('active', page?.section === link.dataset.section);
  }
  if (!page) {
    replace(view, h('p', null, 'No such page. ', h('a', { href: '#/runs' }, 'Go to the runs.')));
    return;
  }
  const args = path.match(page.pattern).slice(1);
  leavePage = page.show(args, params) ?? (() => {});
}

document.getElementById('logout').addEventListener('click', async () => {
  try {
    await post('/logout');
  } catch (error) {
    if (error.status !== 401) {
      showError(error, 'Logging out');
      return;
    }
  }
  showLogin();
  flash('Logged out.');
});

window.addEventListener('hashchange', route);
start();
