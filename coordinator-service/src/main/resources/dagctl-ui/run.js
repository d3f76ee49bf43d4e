// A run: header, cancel and retry, the graph, the timeline, the task table, and a task's panel with its live log.
import { get, post, enc } from './api.js';
import { h, clear, badge, duration, time, since, toast, confirmDialog } from './dom.js';
import { graphView } from './graph.js';
import { ganttView } from './gantt.js';
import { taskPanel } from './task.js';

const TERMINAL = ['SUCCESS', 'FAILED', 'CANCELLED'];
const TASK_STATUSES = ['PENDING', 'QUEUED', 'RUNNING', 'RETRYING', 'SUCCESS', 'FAILED', 'TIMED_OUT', 'UPSTREAM_FAILED', 'SKIPPED', 'CANCELLED'];

export function runPage(main, runId, params) {
  let stopped = false;
  let timer = null;
  const expanded = new Set((params.get('expand') || '').split(',').filter(Boolean));
  const jaeger = document.querySelector('meta[name="jaeger-url"]').content;

  const head = h('div', { class: 'card run-head', id: 'run-head' });
  const panelSlot = h('div', {});
  let panel = null;
  const openTask = (name) => {
    if (!name) { showTab('tasks'); return; }
    const wasOpen = panel !== null;
    if (panel) panel.stop();
    clear(panelSlot);
    panel = taskPanel(runId, name, () => { panel.stop(); panel = null; clear(panelSlot); graph.select(null); graph.fitNow(); });
    panelSlot.append(panel.element);
    graph.select(name);
    if (!wasOpen) graph.fitNow(); // the graph's pane just got narrower
  };
  const graph = graphView((id) => openTask(id), (group) => {
    expanded.add(group);
    graph.refit();
    load();
  });
  const gantt = ganttView(openTask);
  const table = taskTable(runId, openTask);

  const tabs = {};
  const panes = {};
  const tabBar = h('div', { class: 'tabs', role: 'tablist' });
  for (const [id, label, el] of [['graph', 'Graph', graph.element], ['timeline', 'Timeline', gantt.element], ['tasks', 'Tasks', table.element]]) {
    tabs[id] = h('button', { type: 'button', role: 'tab', id: 'tab-' + id, 'aria-controls': 'pane-' + id,
      onclick: () => showTab(id), onkeydown: e => {
        const ids = Object.keys(tabs);
        const i = ids.indexOf(id);
        if (e.key === 'ArrowRight') { showTab(ids[(i + 1) % ids.length]); tabs[ids[(i + 1) % ids.length]].focus(); }
        if (e.key === 'ArrowLeft') { showTab(ids[(i + ids.length - 1) % ids.length]); tabs[ids[(i + ids.length - 1) % ids.length]].focus(); }
      } }, label);
    panes[id] = h('div', { role: 'tabpanel', id: 'pane-' + id, 'aria-labelledby': 'tab-' + id }, el);
    tabBar.append(tabs[id]);
  }
  function showTab(id) {
    for (const k of Object.keys(tabs)) {
      tabs[k].setAttribute('aria-selected', String(k === id));
      tabs[k].tabIndex = k === id ? 0 : -1;
      panes[k].hidden = k !== id;
    }
    if (id === 'tasks') table.load();
  }
  const layout = h('div', { class: 'layout' }, h('div', { class: 'pane' }, tabBar, ...Object.values(panes)), panelSlot);
  main.append(h('p', {}, h('a', { href: '#/runs' }, '← Runs')), head, layout);
  showTab(params.get('tab') || 'graph');

  let lastView = null;
  let busyUntil = 0;
  const acted = () => { busyUntil = Date.now() + 15000; load(); };
  let asked = 0;
  async function load() {
    clearTimeout(timer);
    const mine = ++asked; // only the newest answer is drawn
    const started = performance.now();
    try {
      const q = expanded.size ? '?expand=' + enc([...expanded].join(',')) : '';
      const v = await get(`/api/v1/runs/${enc(runId)}/view${q}`);
      if (stopped || mine !== asked) return;
      lastView = v;
      renderHead(v);
      graph.draw(v);
      gantt.draw(v);
      main.dataset.ready = 'true';
      main.dataset.loadMs = String(Math.round(performance.now() - started));
      // a finished run is still looked at now and then: a retry (from here or elsewhere) brings it back
      const live = !TERMINAL.includes(v.run.status) || Date.now() < busyUntil;
      timer = setTimeout(load, live ? Math.max(1000, v.refresh_ms || 1000) : 5000);
    } catch (e) {
      if (stopped || mine !== asked) return;
      if (e.status === 404) { clear(head).append(h('p', { class: 'error' }, e.message)); return; }
      toast(e.message, true);
      timer = setTimeout(load, 3000);
    }
  }

  function renderHead(v) {
    const r = v.run;
    clear(head);
    const cancel = h('button', { type: 'button', class: 'danger', id: 'cancel-run', disabled: TERMINAL.includes(r.status) || r.status === 'CANCELLING',
      onclick: async () => {
        if (!await confirmDialog('Cancel this run?', `Running tasks of ${r.run_id} are stopped and the others end cancelled.`, 'Cancel run', true)) return;
        try { await post(`/api/v1/runs/${enc(runId)}/cancel`); toast('Cancel requested'); acted(); } catch (e) { toast(e.message, true); }
      } }, 'Cancel');
    const retry = h('button', { type: 'button', id: 'retry-run', disabled: !TERMINAL.includes(r.status) || r.status === 'SUCCESS',
      onclick: async () => {
        if (!await confirmDialog('Retry this run?', 'Its failed, timed-out, cancelled and upstream-failed tasks run again; what succeeded is kept.', 'Retry')) return;
        try { await post(`/api/v1/runs/${enc(runId)}/retry`); toast('Retry requested'); acted(); } catch (e) { toast(e.message, true); }
      } }, 'Retry');
    const counts = r.task_counts || {};
    const dl = h('dl', {},
      h('dt', {}, 'DAG'), h('dd', {}, v.dag_version ? h('a', { href: '#/dags/' + enc(r.dag) }, `${r.dag} v${v.dag_version}`) : r.dag),
      h('dt', {}, 'Trigger'), h('dd', {}, r.trigger || '—'),
      h('dt', {}, 'Logical date'), h('dd', {}, time(r.logical_date)),
      h('dt', {}, 'Submitted'), h('dd', {}, time(r.submitted_at)),
      h('dt', {}, 'Duration'), h('dd', { id: 'run-duration' }, duration(r.duration_ms ?? since(r.started_at, r.ended_at))),
      h('dt', {}, 'Tasks'), h('dd', {}, TASK_STATUSES.filter(s => counts[s]).map(s => `${counts[s].toLocaleString()} ${s.toLowerCase().replace('_', ' ')}`).join(' · ') || r.task_count));
    const paramList = Object.entries(v.params || {});
    head.append(...[
      h('div', {}, h('h1', {}, 'Run ', h('code', {}, r.run_id)), h('span', { id: 'run-status', 'data-status': r.status }, badge(r.status)),
        v.trace_id && jaeger ? h('a', { href: `${jaeger.replace(/\/$/, '')}/trace/${v.trace_id}`, target: '_blank', rel: 'noopener' }, ' trace') : null),
      dl,
      paramList.length ? h('dl', {}, h('dt', {}, 'Params'), h('dd', {}, paramList.map(([k, val]) => `${k}=${val}`).join(', '))) : null,
      v.error ? h('p', { class: 'error' }, v.error) : null,
      r.status === 'QUEUED' ? h('p', { id: 'run-waits', class: 'muted' }, 'Waits for a place under its DAG\'s max_active_runs: it starts when one of the DAG\'s runs ends.') : null,
      v.aggregated ? h('p', { class: 'muted' }, 'A large run: its graph shows groups of levels; open a group to see its tasks. ',
        expanded.size ? h('button', { type: 'button', class: 'secondary', id: 'collapse', onclick: () => { expanded.clear(); graph.refit(); load(); } }, 'Close the open groups') : null) : null,
      h('div', { class: 'actions' }, cancel, retry)].filter(Boolean));
  }

  load();
  return { stop() { stopped = true; clearTimeout(timer); if (panel) panel.stop(); } };
}

function taskTable(runId, openTask) {
  const status = h('select', { id: 't-status', 'aria-label': 'Task status' }, h('option', { value: '' }, 'any status'),
    TASK_STATUSES.map(s => h('option', { value: s }, s.toLowerCase().replace('_', ' '))));
  const sort = h('select', { id: 't-sort', 'aria-label': 'Order' }, h('option', { value: 'name' }, 'by name'), h('option', { value: 'duration' }, 'longest first'));
  const body = h('tbody', {});
  const next = h('button', { type: 'button', class: 'secondary' }, 'Next page →');
  const first = h('button', { type: 'button', class: 'secondary' }, 'First page');
  const info = h('span', { class: 'muted' });
  let cursor = null;
  let nextCursor = null;
  const element = h('div', { class: 'card' },
    h('div', { class: 'filters' }, status, sort),
    h('table', { id: 'tasks' }, h('thead', {}, h('tr', {}, ['Task', 'Status', 'Attempts', 'Exit', 'Started', 'Duration', 'Worker'].map(t => h('th', { scope: 'col' }, t)))), body),
    h('div', { class: 'pager' }, first, next, info));
  status.addEventListener('change', () => { cursor = null; load(); });
  sort.addEventListener('change', () => { cursor = null; load(); });
  next.addEventListener('click', () => { if (nextCursor) { cursor = nextCursor; load(); } });
  first.addEventListener('click', () => { cursor = null; load(); });

  async function load() {
    const q = new URLSearchParams({ limit: '100', sort: sort.value });
    if (status.value) q.set('status', status.value);
    if (cursor) q.set('cursor', cursor);
    try {
      const page = await get(`/api/v1/runs/${enc(runId)}/tasks?${q}`);
      clear(body);
      for (const t of page.tasks) {
        const open = () => openTask(t.name);
        body.append(h('tr', { class: 'clickable', tabindex: 0, 'data-task': t.name, onclick: open, onkeydown: e => { if (e.key === 'Enter') open(); } },
          h('td', {}, t.name), h('td', {}, badge(t.status)), h('td', {}, t.attempts), h('td', {}, t.exit_code ?? '—'),
          h('td', {}, time(t.started_at)), h('td', {}, duration(t.duration_ms ?? since(t.started_at, t.ended_at))), h('td', {}, t.worker_id || '—')));
      }
      if (page.tasks.length === 0) body.append(h('tr', {}, h('td', { colspan: 7, class: 'muted' }, 'No tasks on this page match.')));
      nextCursor = page.next_cursor;
      next.disabled = !nextCursor;
      first.disabled = !cursor;
      info.textContent = `${page.tasks.length} shown`;
    } catch (e) { toast(e.message, true); }
  }
  return { element, load };
}
