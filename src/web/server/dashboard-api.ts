import type { RunReader } from '../../backend/backend.js';
import { isDroverError } from '../../errors/drover-error.js';
import { toSnapshot } from '../../queue/snapshot.js';
import { edgeKey } from '../graph/layout-graph.js';
import { RunView } from './run-view.js';

/** Runs whose folded views are kept in memory at once (least recently used dropped first). */
const VIEWS_KEPT = 16;

export class NotFound extends Error {}

export interface JsonReply {
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * The dashboard's JSON answers, from a `RunReader` only. Each run is folded once into a
 * `RunView` and caught up with new events per request, so a request costs what changed.
 */
export class DashboardApi {
  readonly #reader: RunReader;
  readonly #collapseAbove: number | undefined;
  readonly #views = new Map<string, RunView>();

  constructor(reader: RunReader, options: { collapseAbove?: number | undefined } = {}) {
    this.#reader = reader;
    this.#collapseAbove = options.collapseAbove;
  }

  async runs(): Promise<JsonReply> {
    const runs = await this.#reader.listRuns();
    return { body: { runs: runs.map((run) => ({ ...run, subject: run.installDir })) } };
  }

  async run(runId: string): Promise<JsonReply> {
    const view = await this.view(runId);
    return { body: { run: toSnapshot(view.state), handoffs: [...view.state.handoffs.values()], seq: view.seq, figures: view.figures(Date.now()) } };
  }

  async graph(runId: string): Promise<JsonReply> {
    const view = await this.view(runId);
    const { model, layout, computed } = view.graph(this.#collapseAbove);
    const nodes = model.nodes.map((node) => ({ ...node, ...layout.nodes.get(node.id)! }));
    const edges = model.edges.map((edge) => ({ ...edge, points: layout.edges.get(edgeKey(edge)) ?? [] }));
    return { body: { shape: model.shape, width: layout.width, height: layout.height, seq: view.seq, nodes, edges }, headers: { 'X-Drover-Layout': computed ? 'computed' : 'cached' } };
  }

  async timeline(runId: string): Promise<JsonReply> {
    const view = await this.view(runId);
    const { meta } = view.state;
    return { body: { startedAt: meta.createdAt, ...(meta.status !== 'running' ? { endedAt: meta.updatedAt } : {}), seq: view.seq, attempts: view.attempts.all(), figures: view.figures(Date.now()) } };
  }

  async task(runId: string, taskId: string): Promise<JsonReply> {
    const view = await this.view(runId);
    const task = view.state.tasks.get(taskId);
    if (task === undefined) throw new NotFound(`no task ${taskId} in run ${runId}`);
    const [prompt, logTail] = await Promise.all([this.#reader.readArtifact(runId, taskId, 'prompt'), this.#reader.readArtifact(runId, taskId, 'log')]);
    const handoff = view.state.handoffs.get(taskId);
    const upstream = task.dependsOn.map((id) => view.state.handoffs.get(id)).filter((found) => found !== undefined);
    return {
      body: {
        task,
        ...(prompt !== undefined ? { prompt } : {}),
        ...(logTail !== undefined ? { logTail } : {}),
        ...(handoff !== undefined ? { handoff } : {}),
        upstream,
        attempts: view.attempts.forTask(taskId),
        guardTrips: view.guardTrips.get(taskId) ?? [],
      },
    };
  }

  /** The run's view, caught up; `NotFound` when the reader has no such run. */
  async view(runId: string): Promise<RunView> {
    let view = this.#views.get(runId);
    if (view === undefined) view = new RunView(this.#reader, runId);
    this.#views.delete(runId);
    try {
      await view.catchUp();
    } catch (error) {
      if (isDroverError(error) && error.code === 'input-invalid') throw new NotFound(`no run ${runId}`);
      throw error;
    }
    // Every run starts with run-started (seq 1): nothing read means there is no such run.
    if (view.seq === 0) throw new NotFound(`no run ${runId}`);
    this.#views.set(runId, view);
    if (this.#views.size > VIEWS_KEPT) this.#views.delete(this.#views.keys().next().value!);
    return view;
  }
}
