import type { Glyphs } from './glyphs.js';
import type { Paint } from './paint.js';

/** What every part of the layout needs: the space, the time, and how to draw. */
export interface LayoutContext {
  readonly width: number;
  readonly now: number;
  readonly glyphs: Glyphs;
  readonly paint: Paint;
  /** Drawn once rather than redrawn (`drover status`); see `LayoutOptions.snapshot`. */
  readonly snapshot?: Snapshot;
}

/**
 * A view printed once, from disk: `live` for a run whose process still holds the lock (running
 * tasks get a still mark, not a spinner frame), `dead` for one whose process died (running tasks
 * are shown stopped, their times frozen at the run's last write).
 */
export type Snapshot = 'live' | 'dead';
