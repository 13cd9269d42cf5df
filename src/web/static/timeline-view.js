// The Timeline view: a waterfall, one row per attempt, each a queue-wait bar (enqueued → started)
// then a running bar (started → ended) marked with its outcome. Time to first task and the longest
// gap with nothing running are drawn over it. Refetched (coalesced) when the run's events arrive.
import { api } from './api.js';
import { coalesce, warn } from './coalesce.js';
import { h, replaceChildren, s } from './dom.js';
import { attemptError, formatDuration, formatTime } from './format.js';
import { svgIcon } from './status.js';

const LABEL_W = 210;
const ROW = 22;
const TOP = 28;

export function renderTimeline(root, session, openTask) {
  const refetch = coalesce(async () => draw(root, await api.timeline(session.runId), openTask));
  const unsubscribe = session.subscribe(() => refetch().catch(warn));
  return { ready: refetch(), close: unsubscribe };
}

function draw(root, timeline, openTask) {
  const attempts = [...timeline.attempts].sort((a, b) => Date.parse(a.enqueuedAt) - Date.parse(b.enqueuedAt) || a.attempt - b.attempt);
  const t0 = Date.parse(timeline.startedAt);
  const ends = attempts.flatMap((attempt) => [attempt.endedAt, attempt.startedAt, attempt.enqueuedAt]).filter(Boolean).map(Date.parse);
  const t1 = Math.max(timeline.endedAt ? Date.parse(timeline.endedAt) : Date.now(), ...ends, t0 + 1);
  const chartW = Math.max(400, (root.clientWidth || 1000) - LABEL_W - 40);
  const x = (iso) => LABEL_W + ((Date.parse(iso) - t0) / (t1 - t0)) * chartW;
  const height = TOP + attempts.length * ROW + 30;
  const { figures } = timeline;

  const ticks = [0, 0.25, 0.5, 0.75, 1].map((fraction) => {
    const tx = LABEL_W + fraction * chartW;
    return s('g', { class: 'tick' }, s('line', { x1: tx, x2: tx, y1: TOP - 6, y2: height - 24 }), s('text', { x: tx, y: TOP - 10, 'text-anchor': fraction === 1 ? 'end' : 'middle' }, formatDuration(fraction * (t1 - t0))));
  });

  const rows = attempts.map((attempt, index) => {
    const y = TOP + index * ROW;
    const start = attempt.startedAt ?? attempt.endedAt;
    const end = attempt.endedAt ?? new Date(t1).toISOString();
    const retry = attempt.attempt > 1;
    const name = `${attempt.taskId} attempt ${attempt.attempt}: ${attempt.outcome}`;
    const detail = `${name}\nenqueued ${formatTime(attempt.enqueuedAt)}\nwaited ${formatDuration(start ? Date.parse(start) - Date.parse(attempt.enqueuedAt) : undefined)}\nran ${formatDuration(attempt.startedAt ? Date.parse(end) - Date.parse(attempt.startedAt) : undefined)}${attempt.error ? `\n${attemptError(attempt)}` : ''}`;
    return s('g', { class: `attempt${retry ? ' retry' : ''}`, 'data-task-id': attempt.taskId, 'data-attempt': attempt.attempt, 'data-outcome': attempt.outcome, tabindex: 0, role: 'button', 'aria-label': name, onclick: () => openTask(attempt.taskId), onkeydown: (event) => event.key === 'Enter' && openTask(attempt.taskId) },
      s('title', {}, detail),
      s('rect', { class: 'row-bg', x: 0, y, width: LABEL_W + chartW, height: ROW }),
      s('text', { class: 'row-label', x: 6, y: y + 15 }, `${retry ? '↻ ' : ''}${attempt.taskId} #${attempt.attempt}`),
      start ? s('rect', { class: 'wait', x: x(attempt.enqueuedAt), y: y + 7, width: Math.max(1, x(start) - x(attempt.enqueuedAt)), height: 8 }) : null,
      attempt.startedAt ? s('rect', { class: `run status-${attempt.outcome}`, x: x(attempt.startedAt), y: y + 3, width: Math.max(2, x(end) - x(attempt.startedAt)), height: 16, rx: 3 }) : null,
      attempt.startedAt ? svgIcon(attempt.outcome, { x: Math.min(x(end) + 3, LABEL_W + chartW - 14), y: y + 3, width: 16, height: 16 }) : null);
  });

  const marks = [];
  if (figures?.timeToFirstTaskMs !== undefined) {
    const mx = LABEL_W + (figures.timeToFirstTaskMs / (t1 - t0)) * chartW;
    marks.push(s('g', { class: 'mark first-task' }, s('line', { x1: mx, x2: mx, y1: TOP - 4, y2: height - 20 }), s('text', { x: mx + 3, y: height - 8 }, `first task ${formatDuration(figures.timeToFirstTaskMs)}`)));
  }
  if (figures?.longestGapMs !== undefined && figures.longestGapAt !== undefined) {
    const at = typeof figures.longestGapAt === 'number' ? new Date(t0 + figures.longestGapAt).toISOString() : figures.longestGapAt;
    const gx = x(at);
    const gw = Math.max(2, (figures.longestGapMs / (t1 - t0)) * chartW);
    marks.push(s('g', { class: 'mark gap' }, s('rect', { x: gx, y: TOP - 4, width: gw, height: height - TOP - 16 }), s('text', { x: Math.min(gx + gw + 3, LABEL_W + chartW - 120), y: height - 8 }, `longest gap ${formatDuration(figures.longestGapMs)}`)));
  }

  const svg = s('svg', { class: 'timeline', width: LABEL_W + chartW + 20, height, viewBox: `0 0 ${LABEL_W + chartW + 20} ${height}`, role: 'group', 'aria-label': `Timeline: ${attempts.length} attempts` },
    s('g', { class: 'ticks' }, ticks), s('g', { class: 'rows' }, rows), marks);
  replaceChildren(root,
    h('p', { class: 'timeline-key' },
      h('span', { class: 'key-wait' }, 'queue wait'), ' ', h('span', { class: 'key-run' }, 'running'), ' · ↻ a retry · ',
      `${attempts.length} attempts · ${formatTime(timeline.startedAt)} → ${timeline.endedAt ? formatTime(timeline.endedAt) : 'now'}`),
    attempts.length === 0 ? h('p', { class: 'muted' }, 'No attempt has started yet.') : h('div', { class: 'timeline-scroll' }, svg));
}
