import { createHash } from 'node:crypto';
import { writeScopeWaits } from '../../queue/write-scopes.js';
import type { Task, TaskStatus } from '../../queue/task.js';

/** Above this many tasks, siblings of one type enqueued by one parent are drawn as one node. */
export const COLLAPSE_ABOVE = 300;

export const TASK_NODE_SIZE = { width: 200, height: 48 } as const;
export const GROUP_NODE_SIZE = { width: 240, height: 56 } as const;

export type GraphEdgeKind = 'dependsOn' | 'enqueuedBy';

export interface GraphNodeModel {
  readonly id: string;
  readonly label: string;
  readonly type: string;
  readonly status: TaskStatus;
  readonly width: number;
  readonly height: number;
  readonly collapsed?: { readonly count: number; readonly byStatus: Partial<Record<TaskStatus, number>>; readonly members: readonly string[] };
  /** For a blocked task: the failed (or blocked) dependency that blocked it. */
  readonly blockedBy?: string;
  /** For a ready task held back by a write-scope overlap: the running task it waits for. */
  readonly waitsFor?: string;
}

export interface GraphEdgeModel {
  readonly from: string;
  readonly to: string;
  readonly kind: GraphEdgeKind;
}

export interface GraphModel {
  /** A hash of the node ids and edges: equal shapes lay out identically, whatever the statuses. */
  readonly shape: string;
  readonly nodes: readonly GraphNodeModel[];
  readonly edges: readonly GraphEdgeModel[];
}

/** Which status a collapsed group shows: the one that most needs a look. */
const GROUP_STATUS_ORDER: readonly TaskStatus[] = ['running', 'failed', 'blocked', 'pending', 'done', 'skipped'];

/**
 * The graph the dashboard draws, from a run's tasks: a node per task, a `dependsOn` edge from
 * each dependency to its dependent, and an `enqueuedBy` edge from the task whose agent enqueued
 * a task at run time to that task (seeded tasks have none). Pure.
 *
 * Above `collapseAbove` tasks, each group of two or more siblings — same parent (or both
 * seeded), same type — becomes one node `group:<parent>:<type>` that counts its members by
 * status; edges to and from members attach to the group, once.
 */
export function buildGraphModel(tasks: readonly Task[], collapseAbove = COLLAPSE_ABOVE): GraphModel {
  const nodeOf = new Map<string, string>();
  const groups = new Map<string, Task[]>();
  if (tasks.length > collapseAbove) {
    for (const task of tasks) {
      const key = groupId(task);
      const members = groups.get(key);
      if (members === undefined) groups.set(key, [task]);
      else members.push(task);
    }
    for (const [key, members] of groups) {
      if (members.length < 2) groups.delete(key);
      else for (const task of members) nodeOf.set(task.id, key);
    }
  }
  const waits = writeScopeWaits(tasks);
  const nodes: GraphNodeModel[] = [];
  for (const task of tasks) {
    const group = nodeOf.get(task.id);
    if (group !== undefined) {
      if (groups.get(group)?.[0] === task) nodes.push(groupNode(group, task, groups.get(group)!));
      continue;
    }
    nodeOf.set(task.id, task.id);
    const blockedBy = task.status === 'blocked' ? task.error?.dependency : undefined;
    const waitsFor = waits.get(task.id);
    nodes.push({ id: task.id, label: task.label, type: task.type, status: task.status, ...TASK_NODE_SIZE, ...(blockedBy !== undefined ? { blockedBy } : {}), ...(waitsFor !== undefined ? { waitsFor } : {}) });
  }
  const edges: GraphEdgeModel[] = [];
  const seen = new Set<string>();
  const add = (fromTask: string, toTask: string, kind: GraphEdgeKind): void => {
    const from = nodeOf.get(fromTask);
    const to = nodeOf.get(toTask);
    if (from === undefined || to === undefined || from === to) return;
    const key = `${from}\u0000${to}\u0000${kind}`;
    if (seen.has(key)) return;
    seen.add(key);
    edges.push({ from, to, kind });
  };
  for (const task of tasks) {
    for (const dep of task.dependsOn) add(dep, task.id, 'dependsOn');
    if (task.enqueuedBy !== 'orchestrator') add(task.enqueuedBy, task.id, 'enqueuedBy');
  }
  return { shape: shapeOf(nodes, edges), nodes, edges };
}

function groupId(task: Task): string {
  return `group:${task.enqueuedBy}:${task.type}`;
}

function groupNode(id: string, first: Task, members: readonly Task[]): GraphNodeModel {
  const byStatus: Partial<Record<TaskStatus, number>> = {};
  for (const task of members) byStatus[task.status] = (byStatus[task.status] ?? 0) + 1;
  const status = GROUP_STATUS_ORDER.find((candidate) => (byStatus[candidate] ?? 0) > 0) ?? 'pending';
  const parent = first.enqueuedBy === 'orchestrator' ? 'seed' : first.enqueuedBy;
  const failed = byStatus.failed ?? 0;
  const label = `${parent}: ${members.length} ${first.type} tasks${failed > 0 ? `, ${failed} failed` : ''}`;
  return { id, label, type: first.type, status, ...GROUP_NODE_SIZE, collapsed: { count: members.length, byStatus, members: members.map((task) => task.id) } };
}

function shapeOf(nodes: readonly GraphNodeModel[], edges: readonly GraphEdgeModel[]): string {
  const hash = createHash('sha256');
  for (const node of nodes) hash.update(`n\u0000${node.id}\u0000${node.width}x${node.height}\n`);
  for (const edge of edges) hash.update(`e\u0000${edge.from}\u0000${edge.to}\u0000${edge.kind}\n`);
  return hash.digest('base64url').slice(0, 22);
}
