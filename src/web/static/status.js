// Status marks: each status has a colour (Okabe-Ito, set in style.css) AND its own shape, so the
// page reads the same without colour. Shapes are SVG symbols defined once and drawn with <use>.
import { h, s } from './dom.js';

const ICONS = {
  pending: [s('circle', { cx: 8, cy: 8, r: 5 })],
  running: [s('path', { d: 'M5 3 L13 8 L5 13 Z', class: 'filled' })],
  done: [s('path', { d: 'M3 8.5 L6.5 12 L13 4' })],
  failed: [s('path', { d: 'M4 4 L12 12 M12 4 L4 12' })],
  skipped: [s('path', { d: 'M3 4 L7 8 L3 12 M9 4 L13 8 L9 12' })],
  blocked: [s('circle', { cx: 8, cy: 8, r: 5.5 }), s('path', { d: 'M4.2 11.8 L11.8 4.2' })],
  retried: [s('path', { d: 'M12.5 8 A4.5 4.5 0 1 1 10.5 4.2 M9 2.5 L11 4.4 L8.8 6' })],
  interrupted: [s('path', { d: 'M5.5 3.5 V12.5 M10.5 3.5 V12.5' })],
  cancelled: [s('rect', { x: 4, y: 4, width: 8, height: 8 })],
  unknown: [s('path', { d: 'M6 6 A2 2 0 1 1 8 8 V9.5 M8 12 V12.5' })],
};

/** The statuses a task can have, in the order summaries list them. */
export const STATUSES = ['running', 'pending', 'done', 'failed', 'blocked', 'skipped'];

/** Which icon an attempt outcome or a task status uses. */
export const iconFor = (status) => (status in ICONS ? status : 'unknown');

/** The hidden <svg> holding one <symbol> per status; app.js adds it to the page once. */
export function iconDefs() {
  return s('svg', { class: 'icon-defs', 'aria-hidden': 'true', focusable: 'false' },
    s('defs', {}, Object.entries(ICONS).map(([name, shapes]) => s('symbol', { id: `icon-${name}`, viewBox: '0 0 16 16' }, shapes))));
}

/** An icon as an SVG fragment usable inside another <svg>. */
export const svgIcon = (status, attrs = {}) => s('use', { href: `#icon-${iconFor(status)}`, class: `icon status-${status}`, ...attrs });

/** A status as HTML: icon plus word (the word is what screen readers and the colour-blind read). */
export function statusBadge(status) {
  return h('span', { class: `badge status-${status}` }, s('svg', { class: 'icon', viewBox: '0 0 16 16', 'aria-hidden': 'true' }, svgIcon(status)), status);
}

/** The one status that best summarises a group of tasks. */
export function summaryStatus(byStatus) {
  for (const status of ['running', 'failed', 'blocked', 'pending']) if ((byStatus[status] ?? 0) > 0) return status;
  return (byStatus.done ?? 0) > 0 ? 'done' : 'skipped';
}
