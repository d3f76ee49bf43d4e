// DAGs: the list with schedules and last runs; a DAG's versions and their difference, pause, trigger and backfill.
import { get, post, enc } from './api.js';
import { h, clear, badge, time, toast, confirmDialog } from './dom.js';

export function dagsPage(main) {
  const body = h('tbody', {});
  main.append(h('h1', {}, 'DAGs'), h('table', { id: 'dags' }, h('thead', {}, h('tr', {},
    ['DAG', 'Version', 'Tasks', 'Schedule', 'Next run', 'Running', 'Last run', 'Paused'].map(t => h('th', { scope: 'col' }, t)))), body));
  (async () => {
    try {
      const page = await get('/api/v1/dags?limit=500');
      for (const d of page.dags) {
        const open = () => { location.hash = '#/dags/' + enc(d.name); };
        body.append(h('tr', { class: 'clickable', tabindex: 0, 'data-dag': d.name, onclick: open, onkeydown: e => { if (e.key === 'Enter') open(); } },
          h('td', {}, h('a', { href: '#/dags/' + enc(d.name) }, d.name)), h('td', {}, 'v' + d.version), h('td', {}, d.tasks.toLocaleString()),
          h('td', {}, d.schedule || '—'), h('td', {}, time(d.next_run_at)), h('td', {}, running(d)),
          h('td', {}, d.last_run_id ? h('a', { href: '#/runs/' + enc(d.last_run_id) }, badge(d.last_run_status || 'PENDING'), ' ', time(d.last_run_at)) : '—'),
          h('td', {}, d.paused ? 'paused' : '—')));
      }
      if (page.total > page.dags.length) body.append(h('tr', {}, h('td', { colspan: 8, class: 'muted' }, `The first ${page.dags.length} of ${page.total} DAGs, by name: dagctl dags list pages through all.`)));
      if (page.dags.length === 0) body.append(h('tr', {}, h('td', { colspan: 8, class: 'muted' }, 'No stored DAGs yet: dagctl dags apply -f FILE')));
      main.dataset.ready = 'true';
    } catch (e) { toast(e.message, true); }
  })();
  return {};
}

// its running runs, against max_active_runs when it has one, and how many wait: "2/2 +3 waiting"
function running(d) {
  const n = (d.active_runs || 0) + (d.max_active_runs ? '/' + d.max_active_runs : '');
  const waiting = (d.waiting_runs || []).length;
  return waiting ? `${n} +${waiting} waiting` : n;
}

export function dagPage(main, name) {
  const title = h('h1', {}, 'DAG ', h('code', {}, name));
  const summary = h('div', { class: 'card', id: 'dag-summary' });
  const trigger = h('div', { class: 'card', id: 'trigger' });
  const backfill = h('div', { class: 'card', id: 'backfill' });
  const versions = h('div', { class: 'card', id: 'versions' });
  main.append(h('p', {}, h('a', { href: '#/dags' }, '← DAGs')), title, summary, h('div', { class: 'grid2' }, trigger, backfill), versions);

  async function load() {
    let dag;
    try { dag = await get(`/api/v1/dags/${enc(name)}`); } catch (e) { clear(summary).append(h('p', { class: 'error' }, e.message)); return; }
    renderSummary(dag);
    renderTrigger(dag);
    renderBackfill(dag);
    renderVersions(dag);
    main.dataset.ready = 'true';
  }

  function renderSummary(dag) {
    const d = dag.dag;
    const pause = h('button', { type: 'button', id: 'pause', class: d.paused ? '' : 'secondary', onclick: async () => {
      try { await post(`/api/v1/dags/${enc(name)}/${d.paused ? 'unpause' : 'pause'}`); toast(d.paused ? 'Unpaused' : 'Paused'); setTimeout(load, 400); } catch (e) { toast(e.message, true); }
    } }, d.paused ? 'Unpause' : 'Pause');
    clear(summary).append(h('dl', { class: 'run-head' },
      h('dt', {}, 'Version'), h('dd', {}, `v${d.version} (applied ${time(dag.applied_at)})`),
      h('dt', {}, 'Tasks'), h('dd', {}, d.tasks.toLocaleString()),
      h('dt', {}, 'Schedule'), h('dd', {}, d.schedule || 'none'),
      h('dt', {}, 'Next run'), h('dd', {}, time(d.next_run_at)),
      h('dt', {}, 'Last run'), h('dd', {}, d.last_run_id ? h('a', { href: '#/runs/' + enc(d.last_run_id) }, d.last_run_id) : '—'),
      h('dt', {}, 'State'), h('dd', { id: 'dag-state' }, d.paused ? 'paused' : 'active')),
    h('div', { class: 'actions' }, pause, h('a', { href: '#/runs?dag=' + enc(name) }, 'Its runs')));
  }

  function paramField(p) {
    const type = String(p.type || 'STRING').toUpperCase();
    const id = 'param-' + p.name;
    let input;
    if (type === 'BOOL') input = h('select', { id, name: p.name }, h('option', { value: '' }, p.default_value !== null && p.default_value !== undefined ? `default (${p.default_value})` : '—'), h('option', { value: 'true' }, 'true'), h('option', { value: 'false' }, 'false'));
    else input = h('input', { id, name: p.name, placeholder: p.default_value ?? '', inputmode: type === 'INT' || type === 'NUMBER' ? 'decimal' : null });
    const error = h('span', { class: 'error', id: id + '-error', 'aria-live': 'polite' });
    input.setAttribute('aria-describedby', id + '-error');
    const hint = `${type.toLowerCase()}${p.required ? ', required' : ''}${p.description ? ' · ' + p.description : ''}`;
    return { p, type, input, error, el: h('div', { class: 'field' }, h('label', { for: id }, p.name), input, h('span', { class: 'hint' }, hint), error) };
  }

  function check(f) {
    const v = f.input.value.trim();
    if (!v) return f.p.required && (f.p.default_value === null || f.p.default_value === undefined) ? 'required' : null;
    if (f.type === 'INT' && !/^[-+]?\d[\d_]*$/.test(v)) return `expected a whole number, got '${v}'`;
    if (f.type === 'NUMBER' && (v === '' || isNaN(Number(v.replaceAll('_', ''))))) return `expected a number, got '${v}'`;
    if (f.type === 'BOOL' && !['true', 'false'].includes(v.toLowerCase())) return `expected true or false, got '${v}'`;
    if (f.type === 'LIST') { try { if (!Array.isArray(JSON.parse(v))) return 'expected a JSON array'; } catch (e) { return 'expected a JSON array, such as ["a", "b"]'; } }
    return null;
  }

  function paramsForm(spec, onSend, label, extra) {
    const declared = Array.isArray(spec.params) ? spec.params
      : Object.entries(spec.params || {}).map(([k, p]) => ({ ...p, name: p.name || k }));
    const fields = declared.map(paramField);
    const problem = h('p', { class: 'error', role: 'alert' });
    const submit = h('button', { type: 'submit' }, label);
    const form = h('form', { novalidate: true }, extra || [], fields.map(f => f.el), problem, submit);
    // one key per filled-in form: a double click or a resend starts one run, not two
    let key = newKey();
    form.addEventListener('input', () => { key = newKey(); });
    form.addEventListener('submit', async e => {
      e.preventDefault();
      let bad = false;
      for (const f of fields) { const err = check(f); f.error.textContent = err || ''; f.input.setAttribute('aria-invalid', String(!!err)); if (err && !bad) { bad = true; f.input.focus(); } }
      if (bad) { problem.textContent = 'Fix the parameters marked above.'; return; }
      problem.textContent = '';
      const q = new URLSearchParams();
      for (const f of fields) if (f.input.value.trim()) q.append('param', `${f.p.name}=${f.input.value.trim()}`);
      submit.disabled = true;
      try { await onSend(q, key); } catch (err) {
        const problems = err.body && err.body.problems ? err.body.problems.map(p => p.message || JSON.stringify(p)).join('; ') : '';
        problem.textContent = err.message + (problems ? ': ' + problems : '');
      } finally {
        submit.disabled = false;
      }
    });
    return form;
  }

  function renderTrigger(dag) {
    clear(trigger).append(h('h2', {}, 'Trigger a run'), h('p', { class: 'muted' }, dag.dag.paused ? 'Paused: unpause it to trigger.' : 'Parameters left empty take their defaults.'),
      paramsForm(dag.spec, async (q, key) => {
        const r = await post(`/api/v1/dags/${enc(name)}/runs?${q}`, undefined, { 'Idempotency-Key': key });
        toast('Run ' + r.run_id + ' submitted');
        location.hash = '#/runs/' + enc(r.run_id);
      }, 'Trigger'));
  }

  function renderBackfill(dag) {
    clear(backfill).append(h('h2', {}, 'Backfill a window'));
    if (!dag.dag.schedule) { backfill.append(h('p', { class: 'muted' }, 'It has no schedule: a backfill runs a schedule\'s ticks.')); return; }
    const from = h('input', { id: 'bf-from', type: 'date', required: true });
    const to = h('input', { id: 'bf-to', type: 'date', required: true });
    const parallel = h('input', { id: 'bf-parallel', type: 'number', min: 1, max: 64, value: 4 });
    const extra = [h('div', { class: 'field' }, h('label', { for: 'bf-from' }, 'From (first tick, UTC)'), from),
      h('div', { class: 'field' }, h('label', { for: 'bf-to' }, 'To (last tick, included)'), to),
      h('div', { class: 'field' }, h('label', { for: 'bf-parallel' }, 'Runs at once'), parallel)];
    backfill.append(paramsForm(dag.spec, async (q, key) => {
      if (!from.value || !to.value) throw new Error('give both ends of the window');
      q.set('from', from.value); q.set('to', to.value); q.set('max_parallel', parallel.value || '4');
      if (!await confirmDialog('Start the backfill?', `Every tick of ${name} from ${from.value} to ${to.value} without a run gets one.`, 'Backfill')) return;
      const r = await post(`/api/v1/dags/${enc(name)}/backfill?${q}`, undefined, { 'Idempotency-Key': key });
      toast(`Backfill ${r.id ?? ''} started`);
    }, 'Backfill', extra));
  }

  function renderVersions(dag) {
    const n = dag.dag.version;
    const a = h('select', { id: 'diff-from', 'aria-label': 'From version' });
    const b = h('select', { id: 'diff-to', 'aria-label': 'To version' });
    for (let v = n; v >= 1; v--) { a.append(h('option', { value: v, selected: v === n - 1 }, 'v' + v)); b.append(h('option', { value: v, selected: v === n }, 'v' + v)); }
    const out = h('div', { class: 'diff', id: 'diff' });
    const show = async () => {
      try {
        const [x, y] = await Promise.all([get(`/api/v1/dags/${enc(name)}/versions/${a.value}`), get(`/api/v1/dags/${enc(name)}/versions/${b.value}`)]);
        renderDiff(out, JSON.stringify(x.spec, null, 2).split('\n'), JSON.stringify(y.spec, null, 2).split('\n'));
      } catch (e) { clear(out).append(h('div', { class: 'error' }, e.message)); }
    };
    a.addEventListener('change', show); b.addEventListener('change', show);
    clear(versions).append(h('h2', {}, `Versions (${n})`), h('div', { class: 'filters' }, h('span', {}, 'Compare'), a, h('span', {}, 'with'), b), out);
    show();
  }

  load();
  return {};
}

/** A random key (crypto.randomUUID needs HTTPS off localhost; getRandomValues does not). */
function newKey() {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), b => b.toString(16).padStart(2, '0')).join('');
}

/** A line diff (longest common subsequence); very long specs are compared on their first 2,000 lines. */
function renderDiff(out, left, right) {
  clear(out);
  const cut = left.length > 2000 || right.length > 2000;
  left = left.slice(0, 2000); right = right.slice(0, 2000);
  const n = left.length, m = right.length;
  const dp = Array.from({ length: n + 1 }, () => new Uint16Array(m + 1));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) dp[i][j] = left[i] === right[j] ? dp[i + 1][j + 1] + 1 : Math.max(dp[i + 1][j], dp[i][j + 1]);
  let i = 0, j = 0, changes = 0;
  while (i < n || j < m) {
    if (i < n && j < m && left[i] === right[j]) { out.append(h('div', {}, '  ' + left[i])); i++; j++; }
    else if (j < m && (i === n || dp[i][j + 1] >= dp[i + 1][j])) { out.append(h('div', { class: 'add' }, '+ ' + right[j])); j++; changes++; }
    else { out.append(h('div', { class: 'del' }, '- ' + left[i])); i++; changes++; }
  }
  out.prepend(h('div', { class: 'muted' }, changes ? `${changes} changed line(s)` : 'The two versions are the same.'));
  if (cut) out.append(h('div', { class: 'muted' }, '… compared on the first 2,000 lines only'));
}
