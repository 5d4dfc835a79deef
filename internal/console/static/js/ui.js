// Shared pieces of the views: the notices a person reads (what went wrong,
// what happened), tables, and how values are written.

import { h, replace, byId } from './dom.js';
import { explain } from './errors.js';

// fail shows what went wrong, in words, in the page's alert region; an
// ended session goes back to sign-in (the console installs onSignedOut).
export function fail(err) {
  if (err && err.code === 'UNAUTHENTICATED' && hooks.onSignedOut) {
    hooks.onSignedOut(explain(err));
    return;
  }
  alert(explain(err));
}

// hooks are set by app.js.
export const hooks = { onSignedOut: null };

// alert shows text in the alert region (null clears it).
export function alert(text) {
  const el = byId('alert');
  el.hidden = !text;
  replace(el, text || '');
}

// say announces what happened, politely.
export function say(text) {
  replace(byId('status'), text || '');
}

// run calls fn, showing its failure; it returns fn's value or undefined.
export async function run(fn) {
  try {
    alert(null);
    return await fn();
  } catch (err) {
    fail(err);
    return undefined;
  }
}

// table is a data table named label, with header cells and rows of cells,
// in a region that scrolls sideways on narrow screens.
export function table(label, headers, rows, empty) {
  return h('div', { class: 'table-wrap', role: 'region', 'aria-label': label, tabindex: '0' },
    h('table', {},
      h('caption', {}, label),
      h('thead', {}, h('tr', {}, headers.map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, rows.length ? rows.map((r) => h('tr', {}, r.map((c) => h('td', {}, c))))
        : h('tr', {}, h('td', { colspan: String(headers.length) }, empty || 'Nothing yet.')))));
}

// Formats.
export const when = (t) => (t ? new Date(t).toISOString().replace('T', ' ').slice(0, 19) + ' UTC' : '—');
export const bytes = (n) => (n === null || n === undefined ? '—' : n < 1024 ? `${n} B` : n < 1 << 20 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / (1 << 20)).toFixed(1)} MiB`);
export const num = (n) => (n === null || n === undefined ? '—' : String(n));
export const pad = (n) => String(n).padStart(2, '0');
export const setting = (s) => (s ? `${s.enabled ? 'enabled' : 'disabled'}, ${s.retentionMonths} month${s.retentionMonths === 1 ? '' : 's'}` : '—');

// field is a labelled form control.
export function field(label, control, hint) {
  const id = control.id || ('f-' + Math.random().toString(36).slice(2, 9));
  control.id = id;
  return h('div', { class: 'field' }, h('label', { for: id }, label), control, hint ? h('p', { class: 'hint' }, hint) : null);
}

// yesterday is the UTC day before today, YYYY-MM-DD.
export function yesterday() {
  return new Date(Date.now() - 86400000).toISOString().slice(0, 10);
}
