// The strip above a run's Graph and Timeline: status, counts, the responsiveness figures, and the
// tabs between the two views. Redrawn on every event (it is a few elements).
import { actionButton } from './action-button.js';
import { api } from './api.js';
import { h, replaceChildren } from './dom.js';
import { durationBetween, formatDuration } from './format.js';
import { STATUSES, statusBadge } from './status.js';

export function renderRunHeader(root, session, active) {
  const base = `#/runs/${encodeURIComponent(session.runId)}`;
  const draw = () => {
    const byStatus = {};
    for (const task of session.tasks.values()) byStatus[task.status] = (byStatus[task.status] ?? 0) + 1;
    const { run, figures } = session;
    replaceChildren(root,
      h('div', { class: 'run-title' }, h('h1', {}, `Run ${session.runId}`), statusBadge(run.status),
        run.cancel ? h('span', { class: 'muted' }, ` cancel requested from the ${run.cancel.by}`) : null,
        session.actions && run.status === 'running' && !run.cancel ? actionButton('Cancel run', 'Cancel this run: running agents are stopped, nothing new starts', () => api.cancel(session.runId)) : null),
      h('p', { class: 'run-facts' },
        `${session.tasks.size} tasks: `,
        STATUSES.filter((status) => byStatus[status]).map((status) => h('span', { class: `count status-${status}` }, `${byStatus[status]} ${status}`)),
        h('span', { class: 'muted' }, ` · ${run.installDir ?? ''} · ran ${formatDuration(durationBetween(run.createdAt, run.status === 'running' ? undefined : run.updatedAt))}`),
        figures.timeToFirstTaskMs !== undefined ? h('span', { class: 'figure' }, ` · first task after ${formatDuration(figures.timeToFirstTaskMs)}`) : null,
        figures.longestGapMs !== undefined ? h('span', { class: 'figure' }, ` · longest gap ${formatDuration(figures.longestGapMs)}`) : null),
      h('nav', { class: 'tabs', 'aria-label': 'Run views' },
        h('a', { href: base, 'aria-current': active === 'graph' ? 'page' : undefined }, 'Graph'),
        h('a', { href: `${base}/timeline`, 'aria-current': active === 'timeline' ? 'page' : undefined }, 'Timeline')));
  };
  draw();
  return session.subscribe(draw);
}
