/** What a command action needs from its surroundings; tests pass their own streams. */
export interface CliContext {
  exitCode: number;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}
