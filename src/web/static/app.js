// The dashboard page: a hash router over four views.
//   #/                         Runs
//   #/runs/<id>                Graph            (one RunSession, i.e. one EventSource, per viewed run)
//   #/runs/<id>/timeline       Timeline
//   #/runs/<id>/tasks/<task>   Graph with the Task detail panel open
// Each view module exports render…(root, …) → { ready: Promise, close() }.
import { h, replaceChildren } from './dom.js';
import { renderGraph } from './graph-view.js';
import { renderRunHeader } from './run-header.js';
import { RunSession } from './run-session.js';
import { renderRuns } from './runs-view.js';
import { iconDefs } from './status.js';
import { renderTaskDetail } from './task-detail.js';
import { renderTimeline } from './timeline-view.js';

const main = document.getElementById('view');
const panel = document.getElementById('task-detail');
const live = document.getElementById('live');
const crumbs = document.getElementById('crumbs');
document.body.prepend(iconDefs());
// The token has done its job (the server set the cookie): keep it out of the address bar and history.
if (new URLSearchParams(location.search).has('token')) history.replaceState(null, '', location.pathname + location.hash);

let session; // the viewed run
let shown = {}; // { key, view, header, taskId, detail }
let routing = 0;

const runHash = (runId, rest = '') => `#/runs/${encodeURIComponent(runId)}${rest}`;
const openTask = (taskId) => (location.hash = runHash(session.runId, `/tasks/${encodeURIComponent(taskId)}`));

function parseRoute(hash) {
  const [first, runId, kind, ...rest] = hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  if (first !== 'runs' || !runId) return { name: 'runs' };
  if (kind === 'timeline') return { name: 'timeline', runId };
  return { name: 'graph', runId, taskId: kind === 'tasks' && rest.length > 0 ? rest.join('/') : undefined };
}

function setConnection(state) {
  live.textContent = state === 'live' ? '● live' : state;
  live.dataset.state = state;
}

async function route() {
  const turn = ++routing;
  const current = () => turn === routing;
  const next = parseRoute(location.hash);
  try {
    if (next.runId !== session?.runId) {
      session?.close();
      session = undefined;
      setConnection('');
      if (next.runId) {
        replaceChildren(main, h('p', { class: 'muted' }, `Loading run ${next.runId}…`));
        const opened = new RunSession(next.runId, setConnection);
        session = opened;
        await opened.open();
        if (!current()) return;
      }
    }
    const key = `${next.name}:${next.runId ?? ''}`;
    if (key !== shown.key) {
      closeDetail();
      shown.view?.close();
      shown.header?.();
      shown = { key };
      crumbs.replaceChildren(...breadcrumbs(next));
      if (next.name === 'runs') {
        shown.view = renderRuns(main);
      } else {
        const header = h('header', { class: 'run-header' });
        const body = h('div', { class: `run-body ${next.name}` });
        replaceChildren(main, header, body);
        shown.header = renderRunHeader(header, session, next.name);
        shown.view = (next.name === 'graph' ? renderGraph : renderTimeline)(body, session, openTask);
      }
      await shown.view.ready;
      if (!current()) return;
    }
    if (next.taskId !== shown.taskId) {
      const previous = shown.taskId;
      closeDetail();
      if (next.taskId) {
        shown.taskId = next.taskId;
        shown.detail = renderTaskDetail(panel, session, next.taskId, { group: shown.view.group?.(next.taskId), close: () => (location.hash = runHash(session.runId)) });
        await shown.detail.ready;
        if (current()) panel.querySelector('h2')?.focus();
      } else if (previous) {
        shown.view.focusTask?.(previous);
      }
    }
  } catch (error) {
    if (!current()) return;
    // Forget what failed, so that following the same link again retries it.
    closeDetail();
    shown.view?.close();
    shown.header?.();
    shown = {};
    if (session && !session.run) {
      session.close();
      session = undefined;
    }
    replaceChildren(main, h('div', { class: 'error', role: 'alert' }, h('h1', {}, 'Could not load this view'), h('p', {}, error.message), h('p', {}, h('a', { href: '#/' }, 'Back to the runs'))));
    document.body.dataset.error = String(error.status ?? 'network');
  }
  if (current() && document.body.dataset.ready !== 'true') {
    performance.mark('drover-first-render');
    document.body.dataset.ready = 'true';
  }
}

function closeDetail() {
  shown.detail?.close();
  shown.detail = undefined;
  shown.taskId = undefined;
  panel.hidden = true;
  panel.replaceChildren();
}

function breadcrumbs(next) {
  if (next.name === 'runs') return [h('span', { 'aria-current': 'page' }, 'Runs')];
  return [h('a', { href: '#/' }, 'Runs'), ' / ', h('a', { href: runHash(next.runId) }, next.runId)];
}

document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape' && shown.taskId && session) location.hash = runHash(session.runId);
});
window.addEventListener('hashchange', route);
void route();
