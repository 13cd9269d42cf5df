import { describe, expect, it } from 'vitest';
import { QueueBuilder, TEST_POLICY } from '../testing/queue-builder.js';
import { globsOverlap, isWriteGlob, pickOutsideScopes, takeReadyOutsideScopes } from './write-scopes.js';

describe('write scopes', () => {
  it.each([
    ['src/a.ts', 'src/a.ts', true],
    ['src/a.ts', 'src/b.ts', false],
    ['src', 'src/a.ts', true],
    ['./src/', 'src/lib/x.ts', true],
    ['src/*.ts', 'src/a.ts', true],
    ['src/*.ts', 'src/a.js', false],
    ['src/*.ts', 'src/lib/a.ts', false],
    ['src/**', 'src', true],
    ['src/**', 'src/deep/x.md', true],
    ['**/*.md', 'docs', true],
    ['app/api/**', 'app/web/**', false],
    ['app/**', 'app/web/*.tsx', true],
    ['src/*.ts', 'src/*.js', true],
    ['README.md', 'docs/**', false],
    // Conservative where the glob is not expanded or may reach inside a directory:
    ['src/{a,b}/x.ts', 'src/a/x.ts', true],
    ['src/[ab].ts', 'src/a.ts', true],
    ['src', '*/x.ts', true],
    ['app', 'app*/page.tsx', true],
  ])('%s and %s overlap: %s (either way round)', (a, b, expected) => {
    expect(globsOverlap(a, b)).toBe(expected);
    expect(globsOverlap(b, a)).toBe(expected);
  });

  it('accepts only relative globs without ".."', () => {
    expect(isWriteGlob('src/**')).toBe(true);
    for (const bad of ['/etc/**', '../x', 'a/../../b', '', 'a\\b']) expect(isWriteGlob(bad)).toBe(false);
  });

  it('passes over a ready task whose scope overlaps a running one and keeps it ready, in order, for later', () => {
    const q = new QueueBuilder({ ...TEST_POLICY, writeScopes: new Map([['edit-api', ['app/api/**']]]) });
    const first = q.enqueue({ type: 'edit-api' });
    const second = q.enqueue({ type: 'edit-api', inputs: { n: 2 } });
    const docs = q.enqueue({ type: 'docs', writes: ['docs/**'] });
    const free = q.enqueue({ type: 'unscoped' });
    expect(q.state.tasks.get(second)?.writes).toEqual(['app/api/**']);
    const writing = new Map([[first, ['app/api/**']]]);
    q.start(first);
    expect(takeReadyOutsideScopes(q.state, writing)?.id).toBe(docs);
    expect(takeReadyOutsideScopes(q.state, writing)?.id).toBe(free);
    expect(takeReadyOutsideScopes(q.state, writing)).toBeUndefined();
    expect(takeReadyOutsideScopes(q.state, new Map())?.id).toBe(second);
  });

  it('pickOutsideScopes: in order, up to max, skipping a scope that overlaps a busy one or one picked before it', () => {
    type Ready = { id: string; writes?: string[] };
    const a: Ready = { id: 'a', writes: ['src/**'] };
    const b: Ready = { id: 'b', writes: ['src/x.ts'] };
    const c: Ready = { id: 'c' };
    const d: Ready = { id: 'd', writes: ['docs/**'] };
    const e: Ready = { id: 'e', writes: ['docs/a.md'] };
    expect(pickOutsideScopes([a, b, c, d, e], [], 10).map((t) => t.id)).toEqual(['a', 'c', 'd']);
    expect(pickOutsideScopes([a, b, c, d, e], [['docs']], 10).map((t) => t.id)).toEqual(['a', 'c']);
    expect(pickOutsideScopes([a, b, c, d, e], [], 2).map((t) => t.id)).toEqual(['a', 'c']);
  });
});
