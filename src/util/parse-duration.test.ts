import { describe, expect, it } from 'vitest';
import { parseCount, parseDuration } from './parse-duration.js';

describe('parseDuration', () => {
  it('reads the units users type', () => {
    expect(parseDuration('250ms', '--x')).toBe(250);
    expect(parseDuration('10s', '--x')).toBe(10_000);
    expect(parseDuration('1.5m', '--x')).toBe(90_000);
    expect(parseDuration('2h', '--x')).toBe(7_200_000);
  });

  it('names the flag and the value when it cannot', () => {
    expect(() => parseDuration('10', '--task-timeout')).toThrow('--task-timeout: expected a duration like 250ms, 10s or 5m, got "10"');
    expect(() => parseDuration('fast', '--stub-delay')).toThrow(/--stub-delay/);
  });
});

describe('parseCount', () => {
  it('accepts whole numbers in range and refuses the rest', () => {
    expect(parseCount('4', '--concurrency')).toBe(4);
    expect(() => parseCount('0', '--concurrency')).toThrow('--concurrency: expected a number from 1');
    expect(() => parseCount('2.5', '--concurrency')).toThrow('expected a whole number');
  });
});

describe('parseDuration bounds', () => {
  it('accepts durations past a Node timer limit (they are chained) and refuses what milliseconds cannot hold', () => {
    expect(parseDuration('600h', '--task-timeout')).toBe(600 * 3_600_000);
    expect(() => parseDuration('99999999999999999999h', '--task-timeout')).toThrow('--task-timeout: expected a duration of at most 87600h, got "99999999999999999999h"');
  });
});
