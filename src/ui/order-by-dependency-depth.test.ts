import { describe, expect, it } from 'vitest';
import type { Task } from '../queue/task.js';
import { dependencyDepths, orderByDependencyDepth } from './order-by-dependency-depth.js';

function task(id: string, dependsOn: string[] = []): Task {
  return { id, type: id, label: id, status: 'pending', dependsOn, inputs: {}, attempts: 0, maxAttempts: 2, enqueuedBy: 'orchestrator', depth: 0, optional: false, createdAt: '' };
}

describe('dependency depth order', () => {
  it('uses the longest path back to a root', () => {
    const tasks = [task('a'), task('b', ['a']), task('c', ['a', 'b']), task('d', ['a'])];
    expect(Object.fromEntries(dependencyDepths(tasks))).toEqual({ a: 0, b: 1, c: 2, d: 1 });
  });

  it('keeps enqueue order within a depth, and puts a sink extended with later tasks last', () => {
    // The sink `report` was enqueued second; tasks enqueued later were added to its dependsOn.
    const tasks = [task('install'), task('report', ['install', 'init', 'llm']), task('init'), task('llm', ['init'])];
    expect(orderByDependencyDepth(tasks).map((t) => t.id)).toEqual(['install', 'init', 'llm', 'report']);
  });

  it('ignores unknown dependencies and does not hang on a cycle', () => {
    const tasks = [task('a', ['b']), task('b', ['a']), task('c', ['ghost'])];
    const depths = dependencyDepths(tasks);
    expect(depths.size).toBe(3);
    expect(depths.get('c')).toBe(0);
  });

  it('handles a 20,000-task chain without overflowing the stack', () => {
    const tasks = Array.from({ length: 20_000 }, (_, i) => task(`t${i}`, i === 0 ? [] : [`t${i - 1}`]));
    expect(dependencyDepths(tasks.reverse()).get('t19999')).toBe(19_999);
  });
});
