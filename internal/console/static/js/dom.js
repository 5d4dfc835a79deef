// A small DOM helper: elements from tag, attributes and children, never
// from HTML strings, so no text reaches the page as markup.

const SVG = 'http://www.w3.org/2000/svg';

// h returns an HTML element. attrs: "class", "for" and aria-*/data-* set
// attributes; "on*" functions become listeners; other keys set properties
// when the element has them, attributes otherwise. Children are nodes,
// strings, arrays, or null/false (skipped).
export function h(tag, attrs = {}, ...children) {
  return build(document.createElement(tag), attrs, children);
}

// s returns an SVG element, its attributes set as attributes.
export function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v !== null && v !== undefined && v !== false) el.setAttribute(k, String(v));
  }
  return append(el, children);
}

function build(el, attrs, children) {
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') {
      el.addEventListener(k.slice(2).toLowerCase(), v);
    } else if (k === 'class' || k === 'for' || k === 'role' || k.startsWith('aria-') || k.startsWith('data-') || !(k in el)) {
      el.setAttribute(k, v === true ? '' : String(v));
    } else {
      el[k] = v;
    }
  }
  return append(el, children);
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

// replace puts children in place of el's content.
export function replace(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

// byId returns the element with id.
export const byId = (id) => document.getElementById(id);
