// The cluster: coordinator instances and their run partitions, workers and their slots, dispatch over ten minutes.
import { get } from './api.js';
import { h, s, clear, time, toast } from './dom.js';

export function clusterPage(main) {
  let stopped = false;
  let timer = null;
  const totals = h('div', { class: 'card', id: 'cluster-totals' });
  const coords = h('tbody', {});
  const workers = h('tbody', {});
  const charts = h('div', { class: 'grid2', id: 'cluster-charts' });
  main.append(h('h1', {}, 'Cluster'), totals,
    h('h2', {}, 'Coordinators'), h('table', { id: 'coordinators' }, h('thead', {}, h('tr', {}, ['Instance', 'State', 'Run partitions', 'Standby', 'Queued', 'Dispatched/s', 'Dispatch latency'].map(t => h('th', { scope: 'col' }, t)))), coords),
    h('h2', {}, 'Workers'), h('table', { id: 'workers' }, h('thead', {}, h('tr', {}, ['Worker', 'Host', 'Slots', 'Busy', 'Started', 'Last seen'].map(t => h('th', { scope: 'col' }, t)))), workers),
    h('h2', {}, 'Last ten minutes (all instances)'), charts);

  function chart(title, points, unit) {
    const w = 480, ht = 70;
    const max = Math.max(1e-9, ...points.map(p => p[1]));
    const t0 = points.length ? points[0][0] : 0, t1 = points.length ? points[points.length - 1][0] : 1;
    const pts = points.map(p => `${((p[0] - t0) / Math.max(1, t1 - t0)) * (w - 4) + 2},${ht - 4 - (p[1] / max) * (ht - 10)}`).join(' ');
    const lastValue = points.length ? points[points.length - 1][1] : 0;
    return h('div', { class: 'card' }, h('div', {}, `${title}: `, h('strong', {}, `${lastValue.toFixed(lastValue < 10 ? 1 : 0)} ${unit}`), h('span', { class: 'muted' }, ` (max ${max.toFixed(1)})`)),
      s('svg', { class: 'spark', viewBox: `0 0 ${w} ${ht}`, preserveAspectRatio: 'none', role: 'img', 'aria-label': title }, s('polyline', { points: pts })));
  }

  function sum(series, pick, mean) {
    const byTime = new Map();
    for (const samples of series) for (const x of samples) {
      const t = Math.round(x.at_millis / 5000) * 5000;
      const v = pick(x);
      if (v === null || v === undefined) continue;
      const e = byTime.get(t) || [0, 0];
      e[0] += v; e[1] += 1;
      byTime.set(t, e);
    }
    return [...byTime.entries()].sort((a, b) => a[0] - b[0]).map(([t, [v, n]]) => [t, mean ? v / n : v]);
  }

  async function load() {
    try {
      const c = await get('/api/v1/cluster');
      if (stopped) return;
      clear(totals).append(h('dl', { class: 'run-head' },
        h('dt', {}, 'Coordinators'), h('dd', {}, c.coordinators.length),
        h('dt', {}, 'Workers'), h('dd', {}, c.workers.filter(w => !w.silent).length),
        h('dt', {}, 'Slots busy'), h('dd', { id: 'busy-slots' }, `${c.busy_slots} of ${c.slots}`),
        h('dt', {}, 'Queued tasks'), h('dd', {}, c.queued)));
      clear(coords);
      for (const co of c.coordinators) {
        const last = co.samples.length ? co.samples[co.samples.length - 1] : null;
        coords.append(h('tr', {}, h('td', {}, co.host_port + (co.self ? ' (this one)' : '')), h('td', {}, co.state),
          h('td', {}, co.run_partitions.join(', ') || '—'), h('td', {}, co.standby_partitions.join(', ') || '—'),
          h('td', {}, last ? last.queued : '—'), h('td', {}, last ? last.dispatched_per_sec.toFixed(1) : '—'),
          h('td', {}, last && last.dispatch_latency_ms !== null ? `${last.dispatch_latency_ms.toFixed(1)} ms` : '—')));
      }
      clear(workers);
      for (const w of c.workers) {
        const meter = h('span', { class: 'meter', role: 'img', 'aria-label': `${w.busy} of ${w.slots} busy` }, h('span', {}));
        meter.firstChild.style.width = `${w.slots ? (100 * w.busy) / w.slots : 0}%`;
        workers.append(h('tr', { 'data-worker': w.worker_id }, h('td', {}, w.worker_id + (w.silent ? ' (silent)' : '')), h('td', {}, w.host),
          h('td', {}, w.slots), h('td', {}, meter, ` ${w.busy}`), h('td', {}, time(w.started_at)), h('td', {}, time(w.last_seen))));
      }
      if (c.workers.length === 0) workers.append(h('tr', {}, h('td', { colspan: 6, class: 'muted' }, 'No worker has reported yet.')));
      const series = c.coordinators.map(co => co.samples);
      clear(charts).append(
        chart('Dispatched', sum(series, x => x.dispatched_per_sec), 'tasks/s'),
        chart('Finished', sum(series, x => x.finished_per_sec), 'tasks/s'),
        chart('Dispatch latency', sum(series, x => x.dispatch_latency_ms, true), 'ms'),
        chart('Queued', sum(series, x => x.queued), 'tasks'));
      main.dataset.ready = 'true';
    } catch (e) { if (!stopped) toast(e.message, true); }
    if (!stopped) timer = setTimeout(load, 5000);
  }
  load();
  return { stop() { stopped = true; clearTimeout(timer); } };
}
