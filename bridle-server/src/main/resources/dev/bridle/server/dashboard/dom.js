// Building the page: elements from data, never HTML from strings, so nothing a run wrote can
// become markup. Formatting of times, durations, tokens and dollars.

/**
 * An element: h('a', {href: '#/runs', class: 'x'}, 'text', child). Attributes named on* become
 * listeners; false, null and undefined leave an attribute out; strings become text nodes.
 */
export function h(tag, attributes, ...children) {
  const element = document.createElement(tag);
  setAttributes(element, attributes);
  append(element, children);
  return element;
}

const SVG = 'http://www.w3.org/2000/svg';

/** An SVG element, as h. */
export function svg(tag, attributes, ...children) {
  const element = document.createElementNS(SVG, tag);
  setAttributes(element, attributes);
  append(element, children);
  return element;
}

function setAttributes(element, attributes) {
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === null || value === undefined || value === false) {
      continue;
    }
    if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.slice(2), value);
    } else if (value === true) {
      element.setAttribute(name, '');
    } else {
      element.setAttribute(name, String(value));
    }
  }
}

/** Appends children: nodes as they are, anything else as text; null, undefined and false skipped. */
export function append(element, children) {
  for (const child of [children].flat(Infinity)) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

/** Replaces the children of an element. */
export function replace(element, ...children) {
  element.replaceChildren();
  return append(element, children);
}

/** A term and its description for a <dl>. */
export function fact(term, ...description) {
  return [h('dt', null, term), h('dd', null, ...description)];
}

/** A badge for a run status, an effect or a verdict. */
export function badge(text, kind) {
  const value = String(text ?? '');
  return h('span', { class: `badge badge-${(kind ?? value).toLowerCase()}` }, value);
}

/** Text that may be long, shown in a <pre> (arguments, results, answers). */
export function pre(text) {
  return h('pre', null, prettyJson(text));
}

/** A JSON text indented for reading; other text as it is. */
export function prettyJson(text) {
  if (text === null || text === undefined) {
    return '';
  }
  if (typeof text !== 'string') {
    return JSON.stringify(text, null, 2);
  }
  const trimmed = text.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return JSON.stringify(JSON.parse(trimmed), null, 2);
    } catch {
      return text;
    }
  }
  return text;
}

const two = (n) => String(n).padStart(2, '0');

/** An instant as local date and time, e.g. 2026-11-22 09:00:01. */
export function time(iso) {
  if (!iso) {
    return '—';
  }
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) {
    return String(iso);
  }
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} `
    + `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

/** A <time> element showing an instant, with the exact value as its datetime. */
export function timeElement(iso) {
  return h('time', { datetime: iso ?? false, title: iso ?? false }, time(iso));
}

/** Milliseconds as 850 ms, 4.2 s, 3 min 5 s, 2 h 4 min. */
export function duration(ms) {
  if (ms === null || ms === undefined || Number.isNaN(ms)) {
    return '—';
  }
  if (ms < 1000) {
    return `${Math.max(0, Math.round(ms))} ms`;
  }
  const s = ms / 1000;
  if (s < 60) {
    return `${s.toFixed(1)} s`;
  }
  const m = Math.floor(s / 60);
  if (m < 60) {
    return `${m} min ${Math.floor(s % 60)} s`;
  }
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** A whole number with thousands separators. */
export function count(n) {
  return Number(n ?? 0).toLocaleString('en-US');
}

/** Dollars: $0 for nothing, four decimals below a dollar, more for fractions of a cent. */
export function usd(value) {
  if (value === null || value === undefined) {
    return '—';
  }
  const x = Number(value);
  if (x === 0) {
    return '$0';
  }
  if (x >= 1) {
    return `$${x.toFixed(2)}`;
  }
  if (x >= 0.0001) {
    return `$${x.toFixed(4)}`;
  }
  return `$${x.toFixed(8).replace(/0+$/, '')}`;
}

/** At most n characters of a text, with an ellipsis when cut. */
export function cut(text, n) {
  const value = String(text ?? '');
  return value.length <= n ? value : `${value.slice(0, n - 1)}…`;
}

/** A link to a run's timeline. */
export function runLink(id, label) {
  return h('a', { href: `#/runs/${encodeURIComponent(id)}`, class: 'run-link' }, label ?? id);
}
