import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FakeModelServer } from './fake-model-server.js';
import { REPO_ROOT } from './run-cli.js';

/** The test-only package that holds the real CLIs (not a dependency of drover). */
export const AGENT_CLI_PACKAGE = join(REPO_ROOT, 'test/agents-cli');

export type AgentCli = 'claude' | 'codex';

/**
 * The real CLI's executable from the test-only package. Missing means the package was never
 * installed: the suite fails and says how to fix it, rather than skip what it exists to prove.
 */
export function agentCliBin(cli: AgentCli): string {
  const bin = join(AGENT_CLI_PACKAGE, 'node_modules', '.bin', cli);
  if (!existsSync(bin)) {
    throw new Error(
      `The real agent CLIs are not installed (${bin} is missing). Run "npm run test:agents:install" once: it installs @anthropic-ai/claude-code and @openai/codex into test/agents-cli, a test-only package that drover does not depend on.`,
    );
  }
  return bin;
}

/**
 * The environment for running a real CLI in a test: a fresh HOME (with CLAUDE_CONFIG_DIR and
 * CODEX_HOME inside it), the models pointed at the fake, telemetry, error reporting and update
 * checks off, and every other outbound connection sent to a dead proxy — so a CLI never reaches
 * the network, and never reads or writes the developer's own configuration.
 */
export async function agentCliEnv(fake: FakeModelServer): Promise<NodeJS.ProcessEnv> {
  const home = await mkdtemp(join(tmpdir(), 'drover-agent-home-'));
  const claudeConfig = join(home, '.claude');
  const codexHome = join(home, '.codex');
  await mkdir(claudeConfig, { recursive: true });
  await mkdir(codexHome, { recursive: true });
  await writeFile(
    join(codexHome, 'config.toml'),
    [
      'model = "fake-model"',
      'model_provider = "fake"',
      'check_for_update_on_startup = false',
      '',
      '[model_providers.fake]',
      'name = "fake"',
      `base_url = ${JSON.stringify(fake.openaiBaseUrl)}`,
      'wire_api = "responses"',
      'env_key = "FAKE_OPENAI_API_KEY"',
      '',
    ].join('\n'),
  );
  return {
    HOME: home,
    CLAUDE_CONFIG_DIR: claudeConfig,
    CODEX_HOME: codexHome,
    ANTHROPIC_BASE_URL: fake.anthropicBaseUrl,
    ANTHROPIC_API_KEY: 'sk-ant-fake-key-for-tests',
    FAKE_OPENAI_API_KEY: 'sk-fake-key-for-tests',
    DISABLE_TELEMETRY: '1',
    DISABLE_ERROR_REPORTING: '1',
    DISABLE_AUTOUPDATER: '1',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    HTTP_PROXY: 'http://127.0.0.1:9',
    HTTPS_PROXY: 'http://127.0.0.1:9',
    http_proxy: 'http://127.0.0.1:9',
    https_proxy: 'http://127.0.0.1:9',
    NO_PROXY: '127.0.0.1,localhost',
    no_proxy: '127.0.0.1,localhost',
    DO_NOT_TRACK: '1',
  };
}
