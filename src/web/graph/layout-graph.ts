import { Graph, layout } from '@dagrejs/dagre';
import type { GraphEdgeKind, GraphModel } from './build-graph-model.js';

export interface Point {
  readonly x: number;
  readonly y: number;
}

/** Where each node and edge of a graph shape goes. Depends only on the shape, so it is reused while statuses change. */
export interface GraphLayout {
  readonly shape: string;
  readonly width: number;
  readonly height: number;
  /** Node centres, by node id. */
  readonly nodes: ReadonlyMap<string, Point>;
  /** Edge routes, by `edgeKey`. */
  readonly edges: ReadonlyMap<string, readonly Point[]>;
}

export function edgeKey(edge: { readonly from: string; readonly to: string; readonly kind: GraphEdgeKind }): string {
  return `${edge.from}\u0000${edge.to}\u0000${edge.kind}`;
}

/** Lays a graph out left to right with dagre (dependencies before their dependents). */
export function layoutGraph(model: GraphModel): GraphLayout {
  const graph = new Graph({ multigraph: true });
  graph.setGraph({ rankdir: 'LR', nodesep: 16, ranksep: 64, edgesep: 8, marginx: 16, marginy: 16 });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const node of model.nodes) graph.setNode(node.id, { width: node.width, height: node.height });
  // An enqueuedBy edge says who spawned a task, not what it waits for: it weighs less in the ranking.
  for (const edge of model.edges) graph.setEdge(edge.from, edge.to, { weight: edge.kind === 'dependsOn' ? 2 : 1 }, edge.kind);
  layout(graph);
  const nodes = new Map<string, Point>();
  for (const node of model.nodes) {
    const placed = graph.node(node.id) as { x: number; y: number };
    nodes.set(node.id, { x: round(placed.x), y: round(placed.y) });
  }
  const edges = new Map<string, readonly Point[]>();
  for (const edge of model.edges) {
    const placed = graph.edge(edge.from, edge.to, edge.kind) as { points?: Array<{ x: number; y: number }> } | undefined;
    edges.set(edgeKey(edge), (placed?.points ?? []).map((point) => ({ x: round(point.x), y: round(point.y) })));
  }
  const label = graph.graph() as { width?: number; height?: number };
  return { shape: model.shape, width: round(label.width ?? 0), height: round(label.height ?? 0), nodes, edges };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
