// The UI's router: one page, pages chosen by the URL's hash (#/runs, #/runs/ID, #/dags/NAME, #/cluster).
import { clear, h } from './dom.js';
import { runsPage } from './runs.js';
import { runPage } from './run.js';
import { dagsPage, dagPage } from './dags.js';
import { clusterPage } from './cluster.js';

const main = document.getElementById('main');
let current = null;

function route() {
  const hash = location.hash || '#/runs';
  const [path, query] = hash.slice(1).split('?');
  if (current && current.stop) current.stop();
  clear(main);
  let parts;
  try {
    parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  } catch (e) {
    main.append(h('p', { class: 'error' }, `This address cannot be read: ${hash}`));
    return;
  }
  const params = new URLSearchParams(query || '');
  for (const a of document.querySelectorAll('[data-nav]')) {
    a.classList.toggle('active', a.dataset.nav === parts[0]);
  }
  try {
    if (parts[0] === 'runs' && parts[1]) current = runPage(main, parts[1], params);
    else if (parts[0] === 'dags' && parts[1]) current = dagPage(main, parts[1], params);
    else if (parts[0] === 'dags') current = dagsPage(main, params);
    else if (parts[0] === 'cluster') current = clusterPage(main, params);
    else current = runsPage(main, params);
  } catch (e) {
    main.append(h('p', { class: 'error' }, String(e)));
  }
}

window.addEventListener('hashchange', route);
route();
