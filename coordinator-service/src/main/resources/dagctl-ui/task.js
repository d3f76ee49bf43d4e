// A task's panel: its state, attempts, outputs, and its log, which follows live while the attempt runs.
import { get, stream, enc } from './api.js';
import { h, clear, badge, duration, time, since } from './dom.js';

export function taskPanel(runId, name, onClose) {
  let stopped = false;
  let timer = null;
  let follow = null;
  let followed = null;
  const body = h('div', {});
  const log = h('pre', { id: 'task-log', 'aria-live': 'off', tabindex: 0 });
  const attemptSelect = h('select', { id: 'log-attempt', 'aria-label': 'Attempt' });
  const close = h('button', { type: 'button', class: 'secondary', 'aria-label': 'Close the task panel', onclick: onClose }, '×');
  const element = h('aside', { class: 'panel', id: 'task-panel', 'aria-label': `Task ${name}`, 'data-task': name },
    h('h2', {}, h('span', {}, name), close), body,
    h('h3', {}, 'Log ', attemptSelect), log);
  element.addEventListener('keydown', e => { if (e.key === 'Escape') onClose(); });
  attemptSelect.addEventListener('change', () => showLog(Number(attemptSelect.value), true));

  async function load() {
    clearTimeout(timer);
    try {
      const t = await get(`/api/v1/runs/${enc(runId)}/tasks/${enc(name)}`);
      if (stopped) return;
      render(t);
      if (attemptSelect.options.length !== t.attempts) {
        clear(attemptSelect);
        for (let a = t.attempts; a >= 1; a--) attemptSelect.append(h('option', { value: a }, `attempt ${a}`));
      }
      // the newest attempt is followed unless an earlier one was chosen
      if (t.attempts > 0 && (followed === null || (followed > 0 && followed !== t.attempts))) showLog(t.attempts, false);
      if (t.attempts === 0) log.textContent = 'It has not run yet.';
      if (!['SUCCESS', 'FAILED', 'TIMED_OUT', 'UPSTREAM_FAILED', 'SKIPPED', 'CANCELLED'].includes(t.status)) timer = setTimeout(load, 1000);
    } catch (e) {
      if (!stopped) clear(body).append(h('p', { class: 'error' }, e.message));
    }
  }

  function render(t) {
    clear(body);
    body.append(h('dl', { class: 'facts' },
      h('dt', {}, 'Status'), h('dd', { id: 'task-status', 'data-status': t.status }, badge(t.status)),
      h('dt', {}, 'Attempts'), h('dd', {}, t.attempts),
      h('dt', {}, 'Exit code'), h('dd', {}, t.exit_code ?? '—'),
      h('dt', {}, 'Worker'), h('dd', {}, t.worker_id || '—'),
      h('dt', {}, 'Started'), h('dd', {}, time(t.started_at)),
      h('dt', {}, 'Duration'), h('dd', {}, duration(t.duration_ms ?? since(t.started_at, t.ended_at)))));
    if (t.error) body.append(h('h3', {}, 'Error'), h('pre', { class: 'light', id: 'task-error' }, t.error));
    if (t.rendered_command) body.append(h('h3', {}, 'Command'), h('pre', { class: 'light' }, t.rendered_command));
    if (t.outputs && Object.keys(t.outputs).length) body.append(h('h3', {}, 'Outputs'), h('pre', { class: 'light', id: 'task-outputs' }, JSON.stringify(t.outputs, null, 2)));
    if (t.past_attempts && t.past_attempts.length) {
      body.append(h('h3', {}, 'Earlier attempts'), h('table', { id: 'past-attempts' },
        h('thead', {}, h('tr', {}, ['#', 'Ended', 'Exit', 'Worker', 'Ran'].map(x => h('th', {}, x)))),
        h('tbody', {}, t.past_attempts.map(a => h('tr', { title: a.error || '' }, h('td', {}, a.attempt), h('td', {}, a.outcome.toLowerCase()),
          h('td', {}, a.exit_code ?? '—'), h('td', {}, a.worker_id || '—'), h('td', {}, duration(since(a.started_at, a.ended_at))))))));
    }
  }

  async function showLog(attempt, chosen) {
    if (follow) follow.abort();
    followed = chosen ? -attempt : attempt;
    follow = new AbortController();
    log.textContent = '';
    try {
      await stream(`/api/v1/runs/${enc(runId)}/tasks/${enc(name)}/logs?attempt=${attempt}&follow=true`, text => {
        const atEnd = log.scrollTop + log.clientHeight >= log.scrollHeight - 4;
        log.append(text);
        if (log.textContent.length > 1000000) log.textContent = '… (earlier output not shown)\n' + log.textContent.slice(-500000);
        if (atEnd) log.scrollTop = log.scrollHeight;
      }, follow.signal);
      if (!log.textContent) log.textContent = '(no output)';
    } catch (e) {
      if (e.name !== 'AbortError') log.textContent = e.message;
    }
  }

  load();
  return { element, stop() { stopped = true; clearTimeout(timer); if (follow) follow.abort(); } };
}
