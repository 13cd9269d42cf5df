import { describe, expect, it } from 'vitest';
import { anonymousDistinctId } from './anonymous-distinct-id.js';

describe('anonymousDistinctId', () => {
  it('is stable for a run (so a resume stays one actor), distinct across runs, and does not reveal the run id', () => {
    const id = anonymousDistinctId('run-2026-alice-laptop');
    expect(anonymousDistinctId('run-2026-alice-laptop')).toBe(id);
    expect(anonymousDistinctId('run-2026-bob')).not.toBe(id);
    expect(id).not.toContain('alice');
    expect(id).toMatch(/^drover-[0-9a-f]{32}$/);
  });

  it('is random without a run id', () => {
    expect(anonymousDistinctId('')).not.toBe(anonymousDistinctId(''));
  });
});
