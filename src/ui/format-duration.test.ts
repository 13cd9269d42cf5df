import { describe, expect, it } from 'vitest';
import { formatDuration } from './format-duration.js';

describe('formatDuration', () => {
  it('reads at a glance from milliseconds to hours', () => {
    expect(formatDuration(42)).toBe('42ms');
    expect(formatDuration(3_250)).toBe('3.2s');
    expect(formatDuration(65_000)).toBe('1m 05s');
    expect(formatDuration(7_380_000)).toBe('2h 03m');
  });

  it('never shows a negative or broken time', () => {
    expect(formatDuration(-5)).toBe('0ms');
    expect(formatDuration(Number.NaN)).toBe('0ms');
  });
});
