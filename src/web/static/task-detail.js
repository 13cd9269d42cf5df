// The Task detail panel (#task-detail): everything about one task, refetched when an event about
// it arrives. A collapsed group node opens a list of its members instead.
import { actionButton } from './action-button.js';
import { api } from './api.js';
import { coalesce, warn } from './coalesce.js';
import { h, replaceChildren } from './dom.js';
import { attemptError, formatDuration, formatTime } from './format.js';
import { statusBadge } from './status.js';

export function renderTaskDetail(panel, session, taskId, { group, close }) {
  const runBase = `#/runs/${encodeURIComponent(session.runId)}`;
  const closeButton = h('button', { type: 'button', class: 'close', onclick: close, 'aria-label': 'Close task detail (Escape)' }, '×');
  panel.hidden = false;
  panel.setAttribute('aria-label', `Task ${taskId}`);

  if (group) {
    replaceChildren(panel, closeButton, h('h2', { id: 'detail-title', tabindex: -1 }, group.label),
      h('p', { class: 'muted' }, `${group.collapsed.count} tasks collapsed into one node; open one:`),
      h('ul', { class: 'members' }, group.collapsed.members.map((id) =>
        h('li', {}, statusBadge(session.tasks.get(id)?.status ?? 'unknown'), ' ', h('a', { href: `${runBase}/tasks/${encodeURIComponent(id)}` }, id), ' ', session.tasks.get(id)?.label ?? ''))));
    return { ready: Promise.resolve(), close: () => {} };
  }

  const load = coalesce(async () => draw(await api.task(session.runId, taskId)));
  const draw = (detail) => {
    const { task } = detail;
    replaceChildren(panel, closeButton,
      h('h2', { id: 'detail-title', tabindex: -1 }, task.label),
      h('p', {}, statusBadge(task.status), ' ', h('code', {}, task.id), ` · type ${task.type} · attempt ${task.attempts} of ${task.maxAttempts}`, task.enqueuedBy === 'orchestrator' ? ' · seeded' : [' · enqueued by ', h('a', { href: `${runBase}/tasks/${encodeURIComponent(task.enqueuedBy)}` }, task.enqueuedBy)]),
      task.dependsOn.length > 0 ? h('p', {}, 'Depends on ', task.dependsOn.map((id, i) => [i > 0 ? ', ' : '', h('a', { href: `${runBase}/tasks/${encodeURIComponent(id)}` }, id)])) : null,
      task.error ? h('p', { class: 'error', role: 'note' }, `${task.error.kind}: ${task.error.message}`) : null,
      session.actions && task.status === 'failed' ? actionButton('Retry', 'Retry this task: it and the tasks its failure blocked go back to pending', () => api.retry(session.runId, task.id)) : null,
      section('Inputs', 'inputs', h('pre', {}, JSON.stringify(task.inputs, null, 2))),
      section('Attempts', 'attempts', attemptsTable(detail.attempts ?? [])),
      section('Handoff', 'handoff', detail.handoff ? handoffBlock(detail.handoff) : h('p', { class: 'muted' }, 'No handoff yet.')),
      section(`Upstream handoffs (${detail.upstream?.length ?? 0})`, 'upstream', (detail.upstream ?? []).length === 0 ? h('p', { class: 'muted' }, 'None.') :
        detail.upstream.map((handoff) => h('details', {}, h('summary', {}, `${handoff.taskId} (${handoff.status})`), handoffBlock(handoff)))),
      section('Log tail', 'log-tail', detail.logTail ? h('pre', { class: 'log' }, detail.logTail) : h('p', { class: 'muted' }, 'No log.')),
      section(`Guard trips (${detail.guardTrips?.length ?? 0})`, 'guard-trips', (detail.guardTrips ?? []).length === 0 ? h('p', { class: 'muted' }, 'None.') :
        h('ul', {}, detail.guardTrips.map((trip) => h('li', {}, h('code', {}, trip.guard), ` ${trip.tool}: ${trip.message}`)))),
      h('details', { 'data-field': 'prompt' }, h('summary', {}, 'Prompt'), detail.prompt ? h('pre', {}, detail.prompt) : h('p', { class: 'muted' }, 'No prompt recorded.')));
    panel.dataset.taskId = task.id;
    panel.dataset.status = task.status;
  };

  const unsubscribe = session.subscribe((event) => {
    if (event.taskId === taskId || event.caller === taskId || event.unblocked?.includes(taskId)) load().catch(warn);
  });
  return { ready: load(), close: unsubscribe };
}

function section(title, field, ...body) {
  return h('section', { 'data-field': field }, h('h3', {}, title), body);
}

function handoffBlock(handoff) {
  const rows = [['Goal', handoff.goal], ['Did', handoff.did], ['For the next agent', handoff.forNextAgent], ['Files touched', handoff.filesTouched?.join(', ')], ['Evidence', handoff.evidence], ['Assumptions', handoff.assumptions], ['Completed', formatTime(handoff.completedAt)]];
  return h('dl', { class: 'handoff' }, rows.filter(([, value]) => value).map(([term, value]) => [h('dt', {}, term), h('dd', {}, value)]));
}

function attemptsTable(attempts) {
  if (attempts.length === 0) return h('p', { class: 'muted' }, 'Not started.');
  return h('table', { class: 'attempts' },
    h('thead', {}, h('tr', {}, ['#', 'Outcome', 'Waited', 'Ran', 'Error'].map((title) => h('th', { scope: 'col' }, title)))),
    h('tbody', {}, attempts.map((attempt) => h('tr', {},
      h('td', {}, attempt.attempt),
      h('td', {}, statusBadge(attempt.outcome)),
      h('td', {}, formatDuration(attempt.startedAt ? Date.parse(attempt.startedAt) - Date.parse(attempt.enqueuedAt) : undefined)),
      h('td', {}, formatDuration(attempt.startedAt && attempt.endedAt ? Date.parse(attempt.endedAt) - Date.parse(attempt.startedAt) : undefined)),
      h('td', {}, attemptError(attempt))))));
}
