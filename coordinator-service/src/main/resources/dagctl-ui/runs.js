// The runs list: newest first, filtered, paged by cursor, refreshed every second while on its first page.
import { get, enc } from './api.js';
import { h, clear, badge, duration, time, since, toast } from './dom.js';

const STATUSES = ['QUEUED', 'RUNNING', 'CANCELLING', 'SUCCESS', 'FAILED', 'CANCELLED'];
const TRIGGERS = ['manual', 'api', 'schedule', 'backfill'];

export function runsPage(main, params) {
  let stopped = false;
  let timer = null;
  const filter = {
    status: params.get('status') || '', dag: params.get('dag') || '', trigger: params.get('trigger') || '',
    since: params.get('since') || '', until: params.get('until') || '',
  };
  const cursors = [];
  let cursor = params.get('cursor') || '';

  const status = h('select', { id: 'f-status', name: 'status' }, h('option', { value: '' }, 'any'),
    STATUSES.map(s => h('option', { value: s, selected: s === filter.status }, s.toLowerCase())));
  const dag = h('input', { id: 'f-dag', name: 'dag', value: filter.dag, placeholder: 'any', size: 16 });
  const trigger = h('select', { id: 'f-trigger', name: 'trigger' }, h('option', { value: '' }, 'any'),
    TRIGGERS.map(t => h('option', { value: t, selected: t === filter.trigger }, t)));
  const sinceIn = h('input', { id: 'f-since', name: 'since', type: 'date', value: filter.since });
  const untilIn = h('input', { id: 'f-until', name: 'until', type: 'date', value: filter.until });
  const form = h('form', { class: 'filters', role: 'search', onsubmit: e => {
    e.preventDefault();
    const q = new URLSearchParams();
    for (const [k, el] of Object.entries({ status, dag, trigger, since: sinceIn, until: untilIn })) {
      if (el.value) q.set(k, el.value);
    }
    location.hash = '#/runs' + (q.toString() ? '?' + q : '');
  } },
  h('label', { for: 'f-status' }, 'Status', status), h('label', { for: 'f-dag' }, 'DAG', dag),
  h('label', { for: 'f-trigger' }, 'Trigger', trigger), h('label', { for: 'f-since' }, 'Submitted from', sinceIn),
  h('label', { for: 'f-until' }, 'to', untilIn), h('button', { type: 'submit' }, 'Filter'));

  const chips = h('div', { class: 'chips', 'aria-label': 'Runs by status' });
  const body = h('tbody', { id: 'runs-body' });
  const table = h('table', { id: 'runs' }, h('thead', {}, h('tr', {},
    ['Run', 'DAG', 'Status', 'Trigger', 'Submitted', 'Duration', 'Tasks'].map(t => h('th', { scope: 'col' }, t)))), body);
  const info = h('span', { class: 'muted' });
  const prev = h('button', { type: 'button', class: 'secondary', onclick: () => {
    cursor = cursors.pop() || '';
    load();
  } }, '← Newer');
  const next = h('button', { type: 'button', class: 'secondary' }, 'Older →');
  main.append(h('h1', {}, 'Runs'), form, chips, table, h('div', { class: 'pager' }, prev, next, info));

  let nextCursor = null;
  next.addEventListener('click', () => {
    if (!nextCursor) return;
    cursors.push(cursor);
    cursor = nextCursor;
    load();
  });

  async function loadCounts() {
    try {
      const c = await get('/api/v1/runs/counts');
      clear(chips);
      chips.append(h('a', { class: 'chip' + (filter.status ? '' : ' on'), href: '#/runs' }, 'all'));
      for (const st of STATUSES) {
        const n = c.counts[st] || 0;
        chips.append(h('a', { class: 'chip' + (filter.status === st ? ' on' : ''), href: `#/runs?status=${st}`,
          'data-status': st }, `${st.toLowerCase()} ${n.toLocaleString()}`));
      }
    } catch (e) { /* counts are a courtesy; the list below says what is wrong */ }
  }

  let asked = 0;
  let refreshes = 0;
  async function load() {
    clearTimeout(timer);
    const mine = ++asked; // a refresh that answers after the page moved on is dropped
    const q = new URLSearchParams({ limit: '50' });
    for (const [k, v] of Object.entries(filter)) if (v) q.set(k, v);
    if (cursor) q.set('cursor', cursor);
    const started = performance.now();
    try {
      const page = await get('/api/v1/runs?' + q);
      if (stopped || mine !== asked) return;
      render(page);
      nextCursor = page.next_cursor;
      next.disabled = !nextCursor;
      prev.disabled = cursors.length === 0 && !cursor;
      info.textContent = (page.total !== null && page.total !== undefined ? `${page.total.toLocaleString()} runs · ` : '')
        + `page read in ${Math.round(performance.now() - started)} ms`;
      main.dataset.ready = 'true';
    } catch (e) {
      if (!stopped) toast(e.message, true);
    }
    // the list every second; the counts, which the server counts every 5 s, every fifth time
    if (!stopped && !cursor) timer = setTimeout(() => { load(); if (++refreshes % 5 === 0) loadCounts(); }, 1000);
  }

  // rows are kept and updated in place while the page shows the same runs, so focus and clicks survive a refresh
  let shown = '';
  const rows = new Map();
  function render(page) {
    const ids = page.runs.map(r => r.run_id).join(',');
    if (ids !== shown) {
      shown = ids;
      clear(body);
      rows.clear();
      if (page.runs.length === 0) body.append(h('tr', {}, h('td', { colspan: 7, class: 'muted' }, 'No runs match.')));
      for (const r of page.runs) {
        const open = () => { location.hash = '#/runs/' + enc(r.run_id); };
        const cells = [0, 1, 2, 3, 4, 5, 6].map(() => h('td', {}));
        cells[0].append(h('a', { href: '#/runs/' + enc(r.run_id) }, r.run_id));
        const tr = h('tr', { class: 'clickable', tabindex: 0, 'data-run': r.run_id, onclick: open,
          onkeydown: e => { if (e.key === 'Enter') open(); } }, cells);
        rows.set(r.run_id, cells);
        body.append(tr);
      }
    }
    for (const r of page.runs) {
      const cells = rows.get(r.run_id);
      const counts = r.task_counts || {};
      const done = ['SUCCESS', 'FAILED', 'SKIPPED', 'CANCELLED', 'UPSTREAM_FAILED', 'TIMED_OUT']
        .reduce((n, s) => n + (counts[s] || 0), 0);
      cells[0].parentNode.dataset.status = r.status;
      cells[1].textContent = r.dag;
      clear(cells[2]).append(badge(r.status));
      cells[3].textContent = r.trigger || '—';
      cells[4].textContent = time(r.submitted_at);
      cells[5].textContent = duration(r.duration_ms ?? since(r.started_at, r.ended_at));
      cells[6].textContent = r.task_counts ? `${done.toLocaleString()} / ${r.task_count.toLocaleString()}` : r.task_count.toLocaleString();
    }
  }

  load();
  loadCounts();
  return { stop() { stopped = true; clearTimeout(timer); } };
}
