import { describe, expect, it } from 'vitest';
import { DatabaseUnreachableError, formatDuration, isTransient, MAX_DELAY_MS, retryDelay } from './database-retry.js';

describe('isTransient', () => {
  it('retries lost and refused connections and a server going down, nothing else', () => {
    for (const code of ['ECONNREFUSED', 'ECONNRESET', '08006', '08001', '57P01', '57P02', '57P03']) expect(isTransient(Object.assign(new Error('x'), { code }))).toBe(true);
    expect(isTransient(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isTransient(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(isTransient(new Error('Query read timeout'))).toBe(true);
    expect(isTransient(new Error('wrapped', { cause: Object.assign(new Error('x'), { code: 'ECONNRESET' }) }))).toBe(true);
    for (const code of ['23505', '42P01', '28P01', '3D000', '40P01']) expect(isTransient(Object.assign(new Error('x'), { code }))).toBe(false);
    expect(isTransient(new Error('syntax error'))).toBe(false);
    expect(isTransient(undefined)).toBe(false);
  });
});

describe('retryDelay', () => {
  it('doubles from 100 ms up to the cap, with at most half of it as jitter', () => {
    expect([1, 2, 3, 4].map((n) => retryDelay(n, () => 1))).toEqual([100, 200, 400, 800]);
    expect(retryDelay(3, () => 0)).toBe(200);
    expect(retryDelay(40, () => 1)).toBe(MAX_DELAY_MS);
  });
});

describe('DatabaseUnreachableError', () => {
  it('is one line naming the database (without the password), how long, and why; exit 4', () => {
    const error = new DatabaseUnreachableError(new URL('postgres://me:secret@db.example:5432/runs'), 'complete', 300_000, Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:5432\nmore'), { code: 'ECONNREFUSED' }));
    expect(error.message).toBe('PostgreSQL at postgres://me@db.example:5432/runs has been unreachable for 5 min (complete: connect ECONNREFUSED 10.0.0.1:5432); gave up. Nothing was lost: start drover again once the database is back.');
    expect(error.code).toBe('state-unwritable');
    expect(error.host).toBe('db.example:5432');
    expect(formatDuration(2000)).toBe('2 s');
  });
});
