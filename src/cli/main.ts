import { Command, CommanderError } from 'commander';
import { DroverError } from '../errors/drover-error.js';
import { ExitCode, exitCodeFor } from '../errors/exit-codes.js';
import { fanoutCommand } from './fanout-command.js';
import type { CliContext } from './cli-context.js';
import { VERSION } from './version.js';

export interface MainOptions {
  /** The program name in usage and help (default `drover`). */
  readonly bin?: string;
  /** Where output goes (default the process's streams); tests capture them to run the CLI in-process. */
  readonly stdout?: NodeJS.WritableStream;
  readonly stderr?: NodeJS.WritableStream;
}

/**
 * The `drover` command line. Returns the exit code instead of calling `process.exit`, so tests
 * and embedders can run it in-process; `bin/drover.js` sets `process.exitCode`.
 */
export async function main(argv: readonly string[], options: MainOptions = {}): Promise<number> {
  const context: CliContext = { exitCode: ExitCode.ok, stdout: options.stdout ?? process.stdout, stderr: options.stderr ?? process.stderr };
  const program = new Command(options.bin ?? 'drover')
    .description('Run fleets of coding-agent tasks durably.')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeErr: (text) => context.stderr.write(text), writeOut: (text) => context.stdout.write(text) });
  program.addCommand(fanoutCommand(context));
  // `drover fanout` needs neither ink nor the MCP SDK nor OpenTelemetry (about a second of
  // imports on a loaded machine), so the other commands load only when they may run.
  if (argv[0] !== 'fanout') {
    const [{ runCommand }, { statusCommand }] = await Promise.all([import('./run-command.js'), import('./status-command.js')]);
    program.addCommand(runCommand(context));
    program.addCommand(statusCommand(context));
  }
  return runProgram(program, argv, context);
}

/** Parses and runs a commander program, mapping every failure to one stderr line and an exit code. */
export async function runProgram(program: Command, argv: readonly string[], context: CliContext): Promise<number> {
  exitOverrideEverywhere(program, context);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return context.exitCode;
  } catch (error) {
    return reportError(error, context);
  }
}

/** `addCommand` does not pass settings down, so every subcommand gets the exit override and the context's streams. */
function exitOverrideEverywhere(command: Command, context: CliContext): void {
  command.exitOverride();
  command.configureOutput({ writeErr: (text) => context.stderr.write(text), writeOut: (text) => context.stdout.write(text) });
  for (const sub of command.commands) exitOverrideEverywhere(sub, context);
}

function reportError(error: unknown, context: CliContext): number {
  if (error instanceof CommanderError) {
    // Commander already printed its message; help and version are successes.
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.help' || error.code === 'commander.version') return ExitCode.ok;
    return ExitCode.badInput;
  }
  if (error instanceof DroverError) {
    context.stderr.write(`drover: ${error.message}\n`);
    return exitCodeFor(error.code);
  }
  const message = error instanceof Error ? error.message : String(error);
  context.stderr.write(`drover: internal error: ${message}\n`);
  return ExitCode.failed;
}
