import { describe, expect, it } from 'vitest';
import { resumeCommand } from './resume-command.js';

describe('resumeCommand', () => {
  it('is the short form when the state dir is the default', () => {
    expect(resumeCommand('/work/app', '/work/app/.drover')).toBe('drover run --install-dir /work/app --resume');
  });

  it('names a non-default state dir and quotes paths a shell would split', () => {
    expect(resumeCommand("/work/it's my app", '/tmp/state')).toBe(`drover run --install-dir '/work/it'\\''s my app' --state-dir /tmp/state --resume`);
  });
});
