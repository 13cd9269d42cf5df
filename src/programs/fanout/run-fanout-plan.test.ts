import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { functionAgent } from '../../agents/function-agent.js';
import { runFanoutPlan } from './run-fanout-plan.js';

const plan = (requests: Array<{ id: string; instructions: string }>) => `${JSON.stringify({ task_requests: requests })}\n`;

describe('runFanoutPlan resume', () => {
  it('refuses to resume when the plan file changed since the run started (exit 2, naming what changed), and resumes when it did not', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'drover-plan-'));
    const planFile = join(dir, 'plan.json');
    const recordsOut = join(dir, 'records.json');
    await writeFile(planFile, plan([{ id: 'a', instructions: 'do a' }, { id: 'b', instructions: 'do b' }, { id: 'c', instructions: 'do c' }]));
    const controller = new AbortController();
    const stopAtFirst = functionAgent(async () => controller.abort());
    const first = await runFanoutPlan({ installDir: dir, agent: stopAtFirst, planFile, recordsOut, signal: controller.signal });
    expect(first.verdict.status).toBe('interrupted');
    const auditBefore = await readFile(join(dir, '.drover', 'audit.jsonl'), 'utf8');

    await writeFile(planFile, plan([{ id: 'a', instructions: 'do a' }, { id: 'b', instructions: 'do b, differently' }, { id: 'd', instructions: 'do d' }]));
    const completes = functionAgent(async (_task, context) => {
      await context.tools.complete_task({ status: 'done', handoff: { goal: 'g', did: 'd', forNextAgent: 'n' } });
    });
    const refused = runFanoutPlan({ installDir: dir, agent: completes, planFile, recordsOut, resume: 'resume' });
    await expect(refused).rejects.toMatchObject({ code: 'input-invalid', message: expect.stringContaining(`${planFile}: changed since the unfinished run`) as unknown });
    await expect(refused).rejects.toThrow(/task requests 1 changed \(b\), 1 added \(d\), 1 removed \(c\); pass --fresh/);
    expect(await readFile(join(dir, '.drover', 'audit.jsonl'), 'utf8')).toBe(auditBefore);

    await writeFile(planFile, plan([{ id: 'a', instructions: 'do a' }, { id: 'b', instructions: 'do b' }, { id: 'c', instructions: 'do c' }]));
    const resumed = await runFanoutPlan({ installDir: dir, agent: completes, planFile, recordsOut, resume: 'resume' });
    expect(resumed.exitCode).toBe(0);
  });
});
