// Small DOM helpers: every text goes in through textContent, never as HTML.
const SVG = 'http://www.w3.org/2000/svg';

function build(el, attrs, children) {
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'text') el.textContent = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export const h = (tag, attrs, ...children) => build(document.createElement(tag), attrs, children);
export const s = (tag, attrs, ...children) => build(document.createElementNS(SVG, tag), attrs, children);

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

export function badge(status) {
  return h('span', { class: `badge st-${status}` }, status ? status.toLowerCase().replace('_', ' ') : '—');
}

export function toast(text, bad) {
  const box = document.getElementById('toast');
  const item = h('div', { class: bad ? 'bad' : '' }, text);
  box.append(item);
  setTimeout(() => item.remove(), bad ? 8000 : 4000);
}

export function duration(ms) {
  if (ms === null || ms === undefined || ms < 0) return '—';
  if (ms < 1000) return `${ms} ms`;
  const sec = ms / 1000;
  if (sec < 60) return `${sec.toFixed(1)} s`;
  const min = Math.floor(sec / 60);
  if (min < 60) return `${min} min ${Math.round(sec % 60)} s`;
  return `${Math.floor(min / 60)} h ${min % 60} min`;
}

export function time(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

export function since(startIso, endIso) {
  if (!startIso) return null;
  const end = endIso ? new Date(endIso) : new Date();
  return end - new Date(startIso);
}

/** Asks for confirmation in a modal dialog; resolves true when confirmed. Works with the keyboard alone. */
export function confirmDialog(title, text, action, danger) {
  return new Promise(resolve => {
    const ok = h('button', { type: 'button', class: danger ? 'danger' : '' }, action);
    const cancel = h('button', { type: 'button', class: 'secondary' }, 'Keep');
    const dialog = h('dialog', { 'aria-labelledby': 'dlg-title' },
      h('h2', { id: 'dlg-title' }, title), h('p', {}, text), h('div', { class: 'buttons' }, cancel, ok));
    const done = v => { dialog.close(); dialog.remove(); resolve(v); };
    ok.addEventListener('click', () => done(true));
    cancel.addEventListener('click', () => done(false));
    dialog.addEventListener('cancel', e => { e.preventDefault(); done(false); });
    document.body.append(dialog);
    dialog.showModal();
    cancel.focus();
  });
}
