// Shared pieces of the pages: messages, the confirmation dialog, roles, polling.

import { h, replace } from './dom.js';

const ROLES = ['viewer', 'approver', 'operator', 'admin'];

/** Whether the session's role includes `role`. */
export function can(session, role) {
  return ROLES.indexOf(session?.role) >= ROLES.indexOf(role);
}

/** Shows a message above the page; errors stay until the next one, others fade after a while. */
export function flash(message, kind = 'info') {
  const area = document.getElementById('flash');
  const note = h('div', { class: `flash flash-${kind}` }, message,
    h('button', { type: 'button', class: 'link', 'aria-label': 'Dismiss', onclick: () => note.remove() }, '×'));
  replace(area, note);
  if (kind !== 'error') {
    setTimeout(() => note.remove(), 6000);
  }
}

/** Shows an error of an API call (or anything else) as a message. */
export function showError(error, doing) {
  const detail = error?.message || String(error);
  flash(doing ? `${doing}: ${detail}` : detail, 'error');
}

/**
 * Asks for confirmation in a modal dialog. Resolves to null when cancelled, else to the values
 * of its fields ({reason: ...} when `reason` is asked for).
 */
export function confirmDialog({ title, body, confirm, danger = false, reason = null }) {
  return new Promise((resolve) => {
    const reasonInput = reason
      ? h('textarea', { name: 'reason', rows: 3, maxlength: 2000, placeholder: reason.placeholder ?? '' })
      : null;
    const dialog = h('dialog', { class: 'confirm', 'aria-labelledby': 'confirm-title' });
    const finish = (value) => {
      dialog.close();
      dialog.remove();
      resolve(value);
    };
    const form = h('form', { method: 'dialog' },
      h('h2', { id: 'confirm-title' }, title),
      body ? h('div', { class: 'confirm-body' }, body) : null,
      reasonInput ? h('label', null, reason.label ?? 'Reason', reasonInput) : null,
      h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'secondary', onclick: () => finish(null) }, 'Cancel'),
        h('button', { type: 'submit', class: danger ? 'danger' : 'primary', value: 'confirm' }, confirm)));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      finish({ reason: reasonInput ? reasonInput.value.trim() : '' });
    });
    dialog.addEventListener('cancel', (event) => {
      event.preventDefault();
      finish(null);
    });
    dialog.append(form);
    document.body.append(dialog);
    dialog.showModal();
    (reasonInput ?? form.querySelector('button[type=submit]')).focus();
  });
}

/**
 * Calls `load` now and every `ms` milliseconds while the page shows, one call at a time.
 * Returns the function that stops it.
 */
export function every(ms, load) {
  let stopped = false;
  let timer = null;
  const tick = async () => {
    try {
      await load();
    } catch (error) {
      if (error?.status !== 401) {
        showError(error, 'Refreshing');
      }
    }
    if (!stopped) {
      timer = setTimeout(tick, ms);
    }
  };
  tick();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

/** A page heading with optional extra elements on its right. */
export function heading(text, ...extra) {
  return h('div', { class: 'page-head' }, h('h1', null, text), h('div', { class: 'page-tools' }, ...extra));
}

/** A button that disables itself while its action runs and reports the action's error. */
export function actionButton(label, attributes, action, doing) {
  const button = h('button', { type: 'button', ...attributes }, label);
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      await action();
    } catch (error) {
      showError(error, doing ?? label);
    } finally {
      button.disabled = false;
    }
  });
  return button;
}
