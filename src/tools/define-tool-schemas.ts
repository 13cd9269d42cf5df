import type { z as Z } from 'zod';
import { MAX_INPUT_BYTES } from '../queue/limits.js';
import { isWriteGlob } from '../queue/write-scopes.js';
import { TASK_TYPE_PATTERN } from '../queue/queue-tool-names.js';

/**
 * The wire shapes of the three queue tools. Descriptions are written for the agent that reads
 * them: what each field means and which rules apply. Limits keep one agent from flooding the
 * queue or the disk. A function of zod, so the tool session can build them with zod loaded only to
 * word a refusal (`parseToolInput` is the fast path; the MCP endpoint uses them as they are).
 */
export function defineToolSchemas(z: typeof Z) {
  const text = (max: number, description: string) => z.string().trim().min(1).max(max).describe(description);

  const enqueueTaskInput = z.strictObject({
    type: z.string().regex(TASK_TYPE_PATTERN, 'expected a task type in kebab-case, like "llm-analytics"').describe('The kind of task to add; one of the types listed in your instructions.'),
    label: z.string().trim().min(1).max(80).optional().describe('A short label for the progress view: the action in a few words, no file names.'),
    inputs: z
      .record(z.string(), z.unknown())
      .optional()
      .refine((value) => value === undefined || Buffer.byteLength(JSON.stringify(value)) <= MAX_INPUT_BYTES, 'inputs must serialise to at most 64 KiB; put long lists in a file and name it')
      .describe('What the new task needs to know, as a JSON object. The new agent starts with no memory: put everything it needs here.'),
    dependsOn: z.array(z.string().min(1).max(100)).max(50).optional().describe('Ids (returned by enqueue_task) of tasks that must finish before this one starts.'),
    reason: text(1000, 'One line: why this task is needed.'),
    writes: z
      .array(z.string().min(1).max(300).refine(isWriteGlob, 'expected a glob relative to the project root, without ".." or a leading "/"'))
      .min(1)
      .max(50)
      .optional()
      .describe('The paths the new task will write, as globs relative to the project root (e.g. "src/api/**"). Tasks whose write scopes overlap never run at the same time. Defaults to the write scope of its type.'),
  });

  const handoffInput = z.strictObject({
    goal: text(8000, 'What this task was asked to do.'),
    did: text(8000, 'What you actually did, file by file where it applies.'),
    forNextAgent: text(8000, 'What the agents after you need to know: decisions, open questions, where to look.'),
    filesTouched: z.array(z.string().min(1).max(1000)).max(200).optional().describe('Paths you created or changed, relative to the project root.'),
    evidence: z.string().max(8000).optional().describe('What you ran or observed that shows the work is right.'),
    assumptions: z.string().max(8000).optional().describe('What you assumed and could not verify.'),
  });

  const completeTaskInput = z.strictObject({
    status: z.enum(['done', 'failed', 'skipped']).describe('done: the success criteria are met. failed: they could not be met (say why in the handoff). skipped: the task turned out not to be needed.'),
    handoff: handoffInput,
  });

  const readHandoffsInput = z.strictObject({
    taskId: z.string().min(1).max(100).optional().describe('Return the handoff of this task only.'),
    type: z.string().min(1).max(48).optional().describe('Return the handoffs of every finished task of this type.'),
  });

  return { enqueueTaskInput, handoffInput, completeTaskInput, readHandoffsInput };
}
