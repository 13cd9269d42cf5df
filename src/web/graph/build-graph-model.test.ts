import { describe, expect, it } from 'vitest';
import type { Task } from '../../queue/task.js';
import { buildGraphModel } from './build-graph-model.js';

function task(id: string, fields: Partial<Task> = {}): Task {
  return { id, type: id.replace(/-\d+$/, ''), label: `label of ${id}`, status: 'pending', dependsOn: [], inputs: {}, attempts: 0, maxAttempts: 2, enqueuedBy: 'orchestrator', depth: 0, optional: false, createdAt: '2026-12-02T00:00:00.000Z', ...fields };
}

describe('buildGraphModel', () => {
  it('draws each dependency and each runtime enqueue as its own kind of edge, and none for seeded tasks', () => {
    const model = buildGraphModel([task('plan-1', { status: 'done' }), task('instrument-2', { enqueuedBy: 'plan-1', depth: 1, dependsOn: ['plan-1'] }), task('report-3', { dependsOn: ['instrument-2'] })]);
    expect(model.nodes.map((node) => node.id)).toEqual(['plan-1', 'instrument-2', 'report-3']);
    expect(model.edges).toEqual([
      { from: 'plan-1', to: 'instrument-2', kind: 'dependsOn' },
      { from: 'plan-1', to: 'instrument-2', kind: 'enqueuedBy' },
      { from: 'instrument-2', to: 'report-3', kind: 'dependsOn' },
    ]);
  });

  it('names the failure that blocked a task and the running task a ready one waits for (overlapping writes)', () => {
    const model = buildGraphModel([
      task('install-1', { status: 'failed' }),
      task('init-2', { status: 'blocked', dependsOn: ['install-1'], error: { kind: 'blocked', message: 'install-1 failed', dependency: 'install-1' } }),
      task('edit-3', { status: 'running', writes: ['src/**'] }),
      task('edit-4', { writes: ['src/app.ts'] }),
    ]);
    const byId = new Map(model.nodes.map((node) => [node.id, node]));
    expect(byId.get('init-2')?.blockedBy).toBe('install-1');
    expect(byId.get('edit-4')?.waitsFor).toBe('edit-3');
    expect(byId.get('edit-3')?.waitsFor).toBeUndefined();
  });

  it('keeps its shape when only statuses change, and changes it when a task or an edge is added', () => {
    const tasks = [task('plan-1'), task('report-2', { dependsOn: ['plan-1'] })];
    const before = buildGraphModel(tasks).shape;
    expect(buildGraphModel([task('plan-1', { status: 'done', attempts: 1 }), task('report-2', { dependsOn: ['plan-1'], status: 'running' })]).shape).toBe(before);
    expect(buildGraphModel([...tasks, task('extra-3', { enqueuedBy: 'plan-1' })]).shape).not.toBe(before);
    expect(buildGraphModel([task('plan-1'), task('report-2')]).shape).not.toBe(before);
  });

  it('above the threshold, collapses siblings of one type and one parent into a counted group, edges attached once', () => {
    const children = Array.from({ length: 12 }, (_, i) => task(`instrument-${i + 2}`, { enqueuedBy: 'plan-1', depth: 1, dependsOn: ['plan-1'], status: i < 3 ? 'failed' : 'done' }));
    const tasks = [task('plan-1', { status: 'done' }), ...children, task('report-14', { dependsOn: children.map((child) => child.id) })];
    expect(buildGraphModel(tasks, 20).nodes).toHaveLength(14);
    const model = buildGraphModel(tasks, 10);
    expect(model.nodes.map((node) => node.id)).toEqual(['plan-1', 'group:plan-1:instrument', 'report-14']);
    const group = model.nodes[1]!;
    expect(group.collapsed).toEqual({ count: 12, byStatus: { failed: 3, done: 9 }, members: children.map((child) => child.id) });
    expect(group.status).toBe('failed');
    expect(group.label).toBe('plan-1: 12 instrument tasks, 3 failed');
    expect(model.edges).toEqual([
      { from: 'plan-1', to: 'group:plan-1:instrument', kind: 'dependsOn' },
      { from: 'plan-1', to: 'group:plan-1:instrument', kind: 'enqueuedBy' },
      { from: 'group:plan-1:instrument', to: 'report-14', kind: 'dependsOn' },
    ]);
  });
});
