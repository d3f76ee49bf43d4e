// The timeline: a row per graph box, a bar per attempt; the light part is the wait in the queue, the coloured part the
// run; a group's bar spans its tasks. Hovering a bar names the attempt, its worker and its times.
import { s, h, clear, duration } from './dom.js';

const ROW = 22, LABEL = 220, WIDTH = 1100;

export function ganttView(onOpen) {
  const svg = s('svg', { id: 'gantt', role: 'img', 'aria-label': 'Timeline of attempts' });
  const element = h('div', { class: 'gantt' },
    h('div', { class: 'legend' }, h('span', {}, h('i', { class: 'wait' }), 'waiting in the queue'),
      h('span', {}, h('i', { class: 'st-RUNNING' }), 'running'), h('span', {}, h('i', { class: 'st-SUCCESS' }), 'succeeded'),
      h('span', {}, h('i', { class: 'st-FAILED' }), 'failed (a retry follows on the same row)')), svg);

  function draw(v) {
    // redrawn every refresh: the row a keyboard user is on keeps the focus
    const active = document.activeElement;
    const focused = active && svg.contains(active) && active.dataset ? active.dataset.id : null;
    clear(svg);
    const now = new Date(v.taken_at).getTime();
    let t0 = Infinity, t1 = -Infinity;
    for (const r of v.timeline) for (const b of r.bars) {
      const a = Date.parse(b.queued_at || b.started_at);
      if (!isNaN(a)) t0 = Math.min(t0, a);
      t1 = Math.max(t1, b.ended_at ? Date.parse(b.ended_at) : now);
    }
    if (!isFinite(t0)) { svg.append(s('text', { x: 10, y: 20 }, 'Nothing has been queued yet.')); svg.setAttribute('height', 30); return; }
    const span = Math.max(1, t1 - t0);
    const x = t => LABEL + ((t - t0) / span) * (WIDTH - LABEL - 50);
    const height = 24 + v.timeline.length * ROW;
    svg.setAttribute('viewBox', `0 0 ${WIDTH} ${height}`);
    svg.setAttribute('width', WIDTH);
    svg.setAttribute('height', height);
    const axis = s('g', { class: 'axis' });
    for (let i = 0; i <= 5; i++) {
      const t = t0 + (span * i) / 5;
      axis.append(s('line', { x1: x(t), x2: x(t), y1: 16, y2: height }), s('text', { x: x(t) - 10, y: 11 }, '+' + duration(Math.round(t - t0))));
    }
    svg.append(axis);
    v.timeline.forEach((r, i) => {
      const y = 20 + i * ROW;
      const row = s('g', { class: 'row', 'data-id': r.id, tabindex: 0, role: 'button', 'aria-label': `${r.label}: ${r.bars.length} bar(s)` });
      row.append(s('text', { x: 6, y: y + 14 }, r.label.length > 30 ? r.label.slice(0, 29) + '…' : r.label));
      for (const b of r.bars) {
        const q = Date.parse(b.queued_at || b.started_at);
        const st = b.started_at ? Date.parse(b.started_at) : null;
        const en = b.ended_at ? Date.parse(b.ended_at) : now;
        const tip = `${r.label}${b.attempt ? ' · attempt ' + b.attempt : ''} · ${b.status.toLowerCase()}`
          + (b.worker_id ? ` · worker ${b.worker_id}` : '')
          + `\nwaited ${duration((st ?? en) - q)}` + (st ? `, ran ${duration(en - st)}` : '')
          + (b.exit_code !== null && b.exit_code !== undefined ? ` · exit ${b.exit_code}` : '');
        const wait = s('rect', { class: 'wait', x: x(q), y: y + 4, width: Math.max(1, x(st ?? en) - x(q)), height: 12 });
        const g = s('g', { class: 'bar', 'data-attempt': b.attempt, 'data-status': b.status }, s('title', {}, tip), wait);
        if (st !== null) g.append(s('rect', { class: `st-${b.status}`, x: x(st), y: y + 2, width: Math.max(2, x(en) - x(st)), height: 16, rx: 2 }));
        row.append(g);
      }
      const open = () => onOpen(r.kind === 'GROUP' ? null : r.id);
      row.addEventListener('click', open);
      row.addEventListener('keydown', e => { if (e.key === 'Enter') open(); });
      svg.append(row);
      if (focused === r.id) row.focus();
    });
  }

  return { element, draw };
}
