// The Runs view: one row per run the server can see, newest first. No run is "viewed" here, so
// there is no event stream: the list is refetched every few seconds while it is on screen.
import { api } from './api.js';
import { h, replaceChildren } from './dom.js';
import { durationBetween, formatDuration, formatTime } from './format.js';
import { STATUSES, statusBadge } from './status.js';

const REFRESH_MS = 3000;

export function renderRuns(root) {
  let lastJson = '';
  let timer;
  const refresh = async () => {
    const { runs } = await api.runs();
    const json = JSON.stringify(runs);
    if (json !== lastJson) {
      lastJson = json;
      draw(root, runs);
    }
  };
  const loop = () => {
    timer = setTimeout(() => refresh().then(loop, loop), REFRESH_MS);
  };
  return { ready: refresh().then(loop), close: () => clearTimeout(timer) };
}

function draw(root, runs) {
  const focused = document.activeElement?.closest?.('tr[data-run-id]')?.dataset.runId;
  const open = (runId) => (location.hash = `#/runs/${encodeURIComponent(runId)}`);
  const rows = runs.map((run) =>
    h('tr', { 'data-run-id': run.runId, tabindex: 0, 'aria-label': `Run ${run.runId}, ${run.status}`, onclick: () => open(run.runId), onkeydown: (e) => e.key === 'Enter' && open(run.runId) },
      h('td', {}, statusBadge(run.status)),
      h('td', {}, h('a', { href: `#/runs/${encodeURIComponent(run.runId)}`, tabindex: -1 }, run.runId)),
      h('td', {}, run.program ?? '–'),
      h('td', { class: 'subject', title: run.subject ?? run.installDir }, run.subject ?? run.installDir),
      h('td', {}, formatTime(run.startedAt)),
      h('td', { class: 'num' }, formatDuration(durationBetween(run.startedAt, run.endedAt))),
      h('td', {}, counts(run.counts)),
      h('td', { class: 'muted' }, run.location)));
  replaceChildren(root,
    h('h1', {}, 'Runs'),
    runs.length === 0
      ? h('p', { class: 'muted', id: 'runs' }, 'No runs yet. This list refreshes by itself.')
      : h('table', { id: 'runs', class: 'runs' },
          h('thead', {}, h('tr', {}, ['Status', 'Run', 'Program', 'Subject', 'Started', 'Duration', 'Tasks', 'Where'].map((title) => h('th', { scope: 'col' }, title)))),
          h('tbody', {}, rows)));
  if (focused) root.querySelector(`tr[data-run-id="${CSS.escape(focused)}"]`)?.focus();
}

function counts(byStatus) {
  return h('span', { class: 'counts' }, STATUSES.filter((status) => byStatus[status] > 0).map((status) => h('span', { class: `count status-${status}`, title: status }, `${byStatus[status]} ${status}`)));
}
