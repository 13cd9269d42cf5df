import { describe, expect, it } from 'vitest';
import { resumeCommand } from './resume-command.js';

describe('resumeCommand', () => {
  it('is the short form when the state dir is the default', () => {
    expect(resumeCommand('/work/app', '/work/app/.drover', {})).toBe('drover run --install-dir /work/app --resume');
  });

  it('names a non-default state dir and quotes paths a shell would split', () => {
    expect(resumeCommand("/work/it's my app", '/tmp/state', {})).toBe(`drover run --install-dir '/work/it'\\''s my app' --state-dir /tmp/state --resume`);
  });

  it('says npx drover when drover was started through npx or an npm script', () => {
    // What npx (npm 10) sets for the command it runs.
    expect(resumeCommand('/work/app', '/work/app/.drover', { npm_command: 'exec', npm_lifecycle_event: 'npx', npm_execpath: '/usr/lib/node_modules/npm/bin/npm-cli.js' })).toBe('npx drover run --install-dir /work/app --resume');
    expect(resumeCommand('/work/app', '/work/app/.drover', { npm_command: 'run-script' })).toBe('npx drover run --install-dir /work/app --resume');
  });
});
