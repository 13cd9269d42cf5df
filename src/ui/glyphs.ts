import type { TaskStatus } from '../queue/task.js';

/** The marks the views draw. `ascii` is for terminals and logs that cannot show Unicode symbols. */
export interface Glyphs {
  readonly status: Readonly<Record<Exclude<TaskStatus, 'running'>, string>>;
  /** Spinner frames for a running task; the plain log uses `started` instead. */
  readonly spinner: readonly string[];
  readonly started: string;
  readonly retry: string;
  readonly enqueued: string;
  readonly enqueuedBy: string;
  readonly warning: string;
  readonly stopped: string;
  readonly activity: string;
  readonly barFull: string;
  readonly barEmpty: string;
  readonly rule: string;
  readonly separator: string;
  readonly ellipsis: string;
}

export const UNICODE_GLYPHS: Glyphs = {
  status: { pending: '○', done: '✔', failed: '✖', skipped: '↷', blocked: '⊘' },
  spinner: ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'],
  started: '▶',
  retry: '↻',
  enqueued: '+',
  enqueuedBy: '↳',
  warning: '⚠',
  stopped: '■',
  activity: '›',
  barFull: '━',
  barEmpty: '─',
  rule: '─',
  separator: '·',
  ellipsis: '…',
};

export const ASCII_GLYPHS: Glyphs = {
  status: { pending: 'o', done: '+', failed: 'x', skipped: '-', blocked: '#' },
  spinner: ['|', '/', '-', '\\'],
  started: '>',
  retry: '~',
  enqueued: '+',
  enqueuedBy: '<-',
  warning: '!',
  stopped: '#',
  activity: '>',
  barFull: '#',
  barEmpty: '.',
  rule: '-',
  separator: '|',
  ellipsis: '~',
};

export function glyphsFor(ascii: boolean): Glyphs {
  return ascii ? ASCII_GLYPHS : UNICODE_GLYPHS;
}
