import type { Handoff } from '../queue/handoff.js';
import type { Task } from '../queue/task.js';
import { indentLines, inlineCode, oneLine } from './markdown-text.js';
import { nestHeadings } from './nest-headings.js';

/** A finished ancestor of the task being prompted, with the handoff it left. */
export interface UpstreamHandoff {
  readonly task: Pick<Task, 'id' | 'type' | 'label'>;
  readonly handoff: Handoff;
}

/**
 * One ancestor's block under `## Context from previous steps`. `goal` is left out: the block
 * says what the step did and what it leaves for the next one, which is what a successor acts on.
 */
export function renderUpstreamHandoff({ task, handoff }: UpstreamHandoff): string {
  const items: string[] = [`- status: ${handoff.status}`, field('did', handoff.did), field('for you', handoff.forNextAgent)];
  if (handoff.filesTouched !== undefined && handoff.filesTouched.length > 0) items.push(`- files: ${handoff.filesTouched.map(inlineCode).join(', ')}`);
  if (handoff.evidence !== undefined && handoff.evidence.trim() !== '') items.push(field('evidence', handoff.evidence));
  if (handoff.assumptions !== undefined && handoff.assumptions.trim() !== '') items.push(field('assumptions', handoff.assumptions));
  return `### ${oneLine(task.label) || task.type} (${task.type}, ${task.id})\n\n${items.join('\n')}`;
}

function field(name: string, text: string): string {
  // Agent-written text: keep its line breaks inside the list item and its headings below ours.
  const body = indentLines(nestHeadings(text.trim(), 4), 2).trimStart();
  return `- ${name}: ${body}`;
}
