import type { AttemptLog } from '../util/attempt-log.js';
import type { StateFs } from '../util/state-fs.js';

/**
 * What ONE attempt of one task writes and reads on the machine that runs it: its prompt, its
 * log, its marker, its agent config (the MCP client config with the attempt's token) and the
 * record of its live process group. Agents, the runner and the programs go through this port and
 * never build a path themselves; where the files are is the implementation's business
 * (`stateDirWorkspace`: the layout of SPEC.md "Run state on disk").
 */
export interface AttemptWorkspace {
  readonly taskId: string;
  /** Where the prompt is saved, a path agent CLIs are given (`DROVER_PROMPT_FILE`, `{prompt_file}`). */
  readonly promptFile: string;
  /** Where the log is (for a person to open; `drover status --task`). */
  readonly logFile: string;
  /** Where the agent's config goes, a path agent CLIs are given (`DROVER_MCP_CONFIG`, `--mcp-config`). */
  readonly agentConfigFile: string;
  /** Saves the assembled prompt (never through a link) and returns `promptFile`. */
  writePrompt(text: string, fs?: StateFs): Promise<string>;
  /** Saves the stub agent's marker (never through a link). */
  writeMarker(text: string, fs?: StateFs): Promise<void>;
  /** Writes the agent config, mode 0600 (it holds a bearer token); remove it with `removeAgentConfig` after the attempt. */
  writeAgentConfig(text: string): Promise<void>;
  /** Removes the agent config; nothing when there is none. */
  removeAgentConfig(): Promise<void>;
  /** Opens the attempt's log for append (never through a link), bounded to `capBytes` (the tail is kept). */
  openLog(options: { header: string; capBytes?: number; fs?: StateFs; onFailure?: (error: Error) => void }): Promise<AttemptLog>;
  /** The last `maxBytes` of the log (a cut first line dropped), undefined when there is none. */
  readLogTail(maxBytes: number): Promise<string | undefined>;
  /**
   * Records a live agent process group, in memory and on disk, so a drover killed with SIGKILL
   * leaves a record the next one reaps; the returned function forgets it once the group is gone.
   */
  trackProcessGroup(pgid: number): () => void;
}

/** One run's workspace on this machine: hands out attempt workspaces and does what concerns the whole run. */
export interface Workspace {
  /** The directory it lives in, given to agents as `DROVER_STATE_DIR` (the state dir of a local run). */
  readonly root: string;
  /**
   * Where the telemetry events of the runs worked here are appended, one JSON object a line
   * (`events.jsonl`; each line names its run). Telemetry writes it and reads back how far it got.
   */
  readonly telemetryFile: string;
  attempt(taskId: string): AttemptWorkspace;
  /** Kills the agent process groups a dead drover left running for this run; returns the pgids killed. */
  reapOrphanedProcessGroups(): Promise<number[]>;
  /** Saves a full list too long for a task's inputs (queue/limits.ts `MAX_INPUT_BYTES`); returns the file agents can read. */
  writeInput(name: string, text: string): Promise<string>;
}
