import { describe, expect, it } from 'vitest';
import { QueueBuilder } from '../testing/queue-builder.js';
import { exitCodeFor } from '../errors/exit-codes.js';
import { confirmResume } from './confirm-resume.js';

describe('confirmResume', () => {
  it('a stop while the question is open ends with "interrupted" (exit 130), not an internal error', async () => {
    const controller = new AbortController();
    const asked = confirmResume(new QueueBuilder().state, controller.signal);
    controller.abort();
    const error = await asked.catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'interrupted', message: expect.stringContaining('nothing was changed') });
    expect(exitCodeFor((error as { code: 'interrupted' }).code)).toBe(130);
  });
});
