import type { Glyphs } from './glyphs.js';
import type { Paint } from './paint.js';

/** What every part of the layout needs: the space, the time, and how to draw. */
export interface LayoutContext {
  readonly width: number;
  readonly now: number;
  readonly glyphs: Glyphs;
  readonly paint: Paint;
}
