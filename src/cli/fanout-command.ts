import { Command } from 'commander';
import type { CliContext } from './cli-context.js';

/** `drover fanout plan|reconcile`. (Stub: the fanout issue fills this in.) */
export function fanoutCommand(context: CliContext): Command {
  void context;
  return new Command('fanout').description('Plan grouped task requests from items, and reconcile executed records against the plan.');
}
