// The run's graph as SVG, from the server's layout: boxes coloured by status, pan by dragging, zoom by wheel or keys.
import { s, h, clear } from './dom.js';

const ORDER = ['RUNNING', 'QUEUED', 'RETRYING', 'SUCCESS', 'FAILED', 'TIMED_OUT', 'UPSTREAM_FAILED', 'SKIPPED', 'CANCELLED', 'PENDING'];

export function graphView(onOpen, onExpand) {
  const svg = s('svg', { role: 'group', 'aria-label': 'DAG graph', id: 'graph' });
  const defs = s('defs', {}, s('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7,
    markerHeight: 7, orient: 'auto-start-reverse' }, s('path', { d: 'M0,0 L10,5 L0,10 z', fill: '#8a96a6' })));
  const world = s('g', {});
  svg.append(defs, world);
  const view = { x: 0, y: 0, k: 1 };
  const nodes = new Map();
  let fitted = false;
  let selected = null;

  const apply = () => world.setAttribute('transform', `translate(${view.x},${view.y}) scale(${view.k})`);
  const zoom = (factor, cx, cy) => {
    const r = svg.getBoundingClientRect();
    cx = cx ?? r.width / 2; cy = cy ?? r.height / 2;
    const k = Math.min(4, Math.max(0.05, view.k * factor));
    view.x = cx - (cx - view.x) * (k / view.k);
    view.y = cy - (cy - view.y) * (k / view.k);
    view.k = k;
    apply();
  };
  svg.addEventListener('wheel', e => { e.preventDefault(); const r = svg.getBoundingClientRect(); zoom(e.deltaY < 0 ? 1.15 : 1 / 1.15, e.clientX - r.left, e.clientY - r.top); }, { passive: false });
  let drag = null;
  svg.addEventListener('pointerdown', e => { if (e.target.closest('.node')) return; drag = { x: e.clientX - view.x, y: e.clientY - view.y }; svg.setPointerCapture(e.pointerId); });
  svg.addEventListener('pointermove', e => { if (!drag) return; view.x = e.clientX - drag.x; view.y = e.clientY - drag.y; apply(); });
  svg.addEventListener('pointerup', () => { drag = null; });

  const fit = (w, hgt) => {
    const r = svg.getBoundingClientRect();
    if (!r.width || !w) return;
    view.k = Math.min(1.2, Math.min(r.width / (w + 20), r.height / (hgt + 20)));
    view.x = (r.width - w * view.k) / 2;
    view.y = Math.max(0, (r.height - hgt * view.k) / 2);
    apply();
  };

  const controls = h('div', { class: 'zoom' },
    h('button', { type: 'button', 'aria-label': 'Zoom in', onclick: () => zoom(1.25) }, '+'),
    h('button', { type: 'button', 'aria-label': 'Zoom out', onclick: () => zoom(0.8) }, '−'),
    h('button', { type: 'button', 'aria-label': 'Fit the graph', onclick: () => fit(last.width, last.height) }, 'fit'));
  const element = h('div', { class: 'viewport', tabindex: 0, 'aria-label': 'Graph: arrow keys pan, + and - zoom',
    onkeydown: e => {
      const step = 40;
      if (e.target !== element) return;
      if (e.key === '+' || e.key === '=') zoom(1.25);
      else if (e.key === '-') zoom(0.8);
      else if (e.key === 'ArrowLeft') { view.x += step; apply(); }
      else if (e.key === 'ArrowRight') { view.x -= step; apply(); }
      else if (e.key === 'ArrowUp') { view.y += step; apply(); }
      else if (e.key === 'ArrowDown') { view.y -= step; apply(); }
      else return;
      e.preventDefault();
    } }, svg, controls);
  let last = { width: 0, height: 0 };
  let shapeKey = '';

  function countsText(counts) {
    return ORDER.filter(st => counts && counts[st]).map(st => `${counts[st].toLocaleString()} ${st.toLowerCase().replace('_', ' ')}`).join(' · ');
  }

  function draw(v) {
    const key = v.nodes.map(n => n.id + '@' + n.x + ',' + n.y).join('|');
    if (key !== shapeKey) {
      shapeKey = key;
      clear(world);
      nodes.clear();
      for (const e of v.edges) {
        const pts = e.points.map(p => p.join(',')).join(' ');
        const g = s('g', { class: 'edge' }, s('polyline', { points: pts, fill: 'none', stroke: '#8a96a6', 'marker-end': 'url(#arrow)' }));
        if (e.label && e.points.length >= 2) {
          const a = e.points[e.points.length - 2], b = e.points[e.points.length - 1];
          g.append(s('text', { x: (a[0] + b[0]) / 2 - 20, y: (a[1] + b[1]) / 2 - 4 }, e.label.length > 40 ? e.label.slice(0, 39) + '…' : e.label));
        }
        world.append(g);
      }
      for (const n of v.nodes) {
        const label = s('text', { x: 10, y: n.counts ? 18 : 27 }, n.label.length > 34 ? n.label.slice(0, 33) + '…' : n.label);
        const sub = s('text', { class: 'sub', x: 10, y: 34 });
        const title = s('title', {});
        const g = s('g', { class: 'node', transform: `translate(${n.x},${n.y})`, tabindex: 0, role: 'button',
          'data-id': n.id, 'data-kind': n.kind },
        s('rect', { class: 'box', width: n.width, height: n.height, rx: 6 }), label, sub, title);
        const open = () => {
          if (n.kind === 'GROUP') { if (n.expandable) onExpand(n.id); else onOpen(null, n); }
          else onOpen(n.id, n);
        };
        g.addEventListener('click', open);
        g.addEventListener('keydown', e => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); open(); } });
        world.append(g);
        nodes.set(n.id, { g, sub, title });
      }
    }
    for (const n of v.nodes) {
      const el = nodes.get(n.id);
      el.g.setAttribute('class', `node st-${n.status}` + (selected === n.id ? ' selected' : ''));
      el.g.setAttribute('data-status', n.status);
      el.g.setAttribute('aria-label', `${n.label}: ${n.status.toLowerCase()}` + (n.counts ? `, ${countsText(n.counts)}` : ''));
      el.sub.textContent = n.counts ? countsText(n.counts) : '';
      el.title.textContent = n.label + (n.counts ? '\n' + countsText(n.counts) : '\n' + n.status.toLowerCase())
        + (n.kind === 'GROUP' && n.expandable ? '\nclick to expand' : '');
    }
    last = { width: v.width, height: v.height };
    if (!fitted) { fitted = true; requestAnimationFrame(() => fit(v.width, v.height)); }
  }

  function select(id) {
    selected = id;
    for (const [nid, el] of nodes) el.g.classList.toggle('selected', nid === id);
  }

  return { element, draw, select, refit() { fitted = false; shapeKey = ''; }, fitNow() { requestAnimationFrame(() => fit(last.width, last.height)); } };
}
