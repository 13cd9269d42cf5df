import { describe, expect, it } from 'vitest';
import { splitCommandLine } from './split-command-line.js';

describe('splitCommandLine', () => {
  it('splits words and honours quotes and escapes', () => {
    expect(splitCommandLine(`claude -p --mcp-config {mcp_config} "read {prompt_file}" 'it''s' a\\ b`)).toEqual(['claude', '-p', '--mcp-config', '{mcp_config}', 'read {prompt_file}', 'its', 'a b']);
    expect(splitCommandLine('node  agent.js\t--x ""')).toEqual(['node', 'agent.js', '--x', '']);
  });

  it('runs no shell syntax: pipes and variables stay literal words', () => {
    expect(splitCommandLine('echo $HOME | rm -rf /')).toEqual(['echo', '$HOME', '|', 'rm', '-rf', '/']);
  });

  it('refuses an unclosed quote and an empty command', () => {
    expect(() => splitCommandLine('node "agent.js')).toThrow('--agent-cmd: unclosed " quote');
    expect(() => splitCommandLine('   ')).toThrow(/empty/);
  });
});
