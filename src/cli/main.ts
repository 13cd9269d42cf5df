import { Command, CommanderError } from 'commander';
import { DroverError } from '../errors/drover-error.js';
import { ExitCode, exitCodeFor } from '../errors/exit-codes.js';
import type { CliContext } from './cli-context.js';
import { VERSION } from './version.js';
import { stripTerminalControls, toTerminalText } from '../ui/to-terminal-text.js';

/**
 * The subcommands, each loaded only when it is the one asked for: a command module imports what
 * its command does (the queue, zod, the MCP SDK, the live view), and `drover --version` or
 * `drover fanout plan` should not pay for what `drover run` needs. Help, and anything that is
 * not a known subcommand, loads them all so the usage lists every one.
 */
const SUBCOMMANDS: Record<string, (context: CliContext) => Promise<Command>> = {
  fanout: async (context) => (await import('./fanout-command.js')).fanoutCommand(context),
  run: async (context) => (await import('./run-command.js')).runCommand(context),
  status: async (context) => (await import('./status-command.js')).statusCommand(context),
  worker: async (context) => (await import('./worker-command.js')).workerCommand(context),
  dashboard: async (context) => (await import('./dashboard-command.js')).dashboardCommand(context),
};

/** Which subcommands to load for this argv: the one named first, none for a bare version flag, else all. */
function subcommandsFor(argv: readonly string[]): string[] {
  const first = argv[0];
  if (first !== undefined && Object.hasOwn(SUBCOMMANDS, first)) return [first];
  if (argv.length === 1 && (first === '--version' || first === '-V')) return [];
  return Object.keys(SUBCOMMANDS);
}

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
    .configureOutput({ writeErr: (text) => context.stderr.write(toTerminalText(text)), writeOut: (text) => context.stdout.write(text) });
  for (const name of subcommandsFor(argv)) program.addCommand(await SUBCOMMANDS[name]!(context));
  return runProgram(program, argv, context);
}

/** Parses and runs a commander program, mapping every failure to one stderr line and an exit code. */
export async function runProgram(program: Command, argv: readonly string[], context: CliContext): Promise<number> {
  exitOverrideEverywhere(program, context);
  if (argv.length === 0 && program.commands.length > 0) {
    // Bare `drover`, as git and npm do: the usage on stdout (it is what was asked for, and pages
    // with `| less`), and a failing exit, since no command ran; 2 is drover's code for bad usage.
    context.stdout.write(program.helpInformation());
    return ExitCode.badInput;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return context.exitCode;
  } catch (error) {
    return reportError(error, context);
  }
}

/**
 * `addCommand` does not pass settings down, so every subcommand gets the exit override, the
 * context's streams (sanitised on stderr) and commander's own errors ("error: unknown command
 * 'bogus'") with the same `drover:` prefix as drover's.
 */
function exitOverrideEverywhere(command: Command, context: CliContext, bin = command.name()): void {
  command.exitOverride();
  command.configureOutput({
    writeErr: (text) => context.stderr.write(toTerminalText(text)),
    writeOut: (text) => context.stdout.write(text),
    outputError: (text, write) => write(`${bin}: ${text.replace(/^error: /, '')}`),
  });
  for (const sub of command.commands) exitOverrideEverywhere(sub, context, bin);
}

function reportError(error: unknown, context: CliContext): number {
  if (error instanceof CommanderError) {
    // Commander already printed its message; help and version asked for are successes. A command
    // group called without its subcommand (`drover fanout`) also gets its help, as a failure: no
    // command ran, so it exits 2 like bare `drover`.
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return ExitCode.ok;
    if (error.code === 'commander.help') return error.exitCode === 0 ? ExitCode.ok : ExitCode.badInput;
    return ExitCode.badInput;
  }
  if (error instanceof DroverError) {
    context.stderr.write(`drover: ${stripTerminalControls(error.message)}\n`);
    return exitCodeFor(error.code);
  }
  const message = error instanceof Error ? error.message : String(error);
  context.stderr.write(`drover: internal error: ${stripTerminalControls(message)}\n`);
  return ExitCode.failed;
}
