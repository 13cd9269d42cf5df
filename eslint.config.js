import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Layering (ARCHITECTURE.md): arrows point down. queue/ and fanout/ import nothing of ours but
// errors/ and util/; store/ may add queue/; the core never imports ui/, telemetry/, web/ or cli/.
// The state-dir layout (util/state-paths) is known below the ports only: the file store, the local
// backend and the workspace. Everything above reaches run data through the backend or workspace port.
const layout = { group: ['**/util/state-paths.js', '../util/state-paths.js', '../../util/state-paths.js'], message: 'layering: the state-dir layout (statePaths) is the file store\'s, the local backend\'s and the workspace\'s; read run data through the backend port or the workspace port (see docs/architecture.md)' };
const layer = (files, forbidden, { knowsLayout = false } = {}) => ({
  files,
  ignores: ['**/*.test.ts', '**/*.test.tsx'],
  rules: {
    'no-restricted-imports': ['error', { patterns: [...forbidden.map((name) => ({ group: [`**/${name}/**`, `../${name}/*`, `../../${name}/*`], message: `layering: this folder may not import ${name}/ (see ARCHITECTURE.md)` })), ...(knowsLayout ? [] : [layout])] }],
  },
});
const everyLayer = ['fanout', 'queue', 'store', 'agents', 'tools', 'detect', 'explore', 'programs', 'prompts', 'telemetry', 'ui', 'cli', 'testing', 'bridge', 'backend', 'runner', 'web', 'workspace'];
const except = (...allowed) => everyLayer.filter((name) => !allowed.includes(name));

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'examples/', 'test/fixtures/', '**/.drover/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', URL: 'readonly', Buffer: 'readonly', performance: 'readonly', AbortController: 'readonly', AbortSignal: 'readonly', structuredClone: 'readonly', fetch: 'readonly', setImmediate: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
      eqeqeq: ['error', 'always'],
    },
  },
  // The dashboard page runs in the browser (plain ES modules, no build step).
  { files: ['src/web/static/**/*.js'], languageOptions: { globals: { window: 'readonly', document: 'readonly', location: 'readonly', history: 'readonly', Node: 'readonly', EventSource: 'readonly', CSS: 'readonly', DOMPoint: 'readonly', URLSearchParams: 'readonly' } } },
  layer(['src/queue/**'], except()),
  layer(['src/fanout/**'], except()),
  layer(['src/store/**'], except('queue', 'store'), { knowsLayout: true }),
  // tools/ binds an attempt's tool calls to the port (backend-operations.ts).
  layer(['src/tools/**'], except('queue', 'store', 'tools', 'backend')),
  // workspace/ is what an attempt writes on this machine (prompt, log, marker, agent config, process records): a leaf.
  layer(['src/workspace/**'], except('workspace'), { knowsLayout: true }),
  layer(['src/agents/**'], except('queue', 'tools', 'agents', 'prompts', 'workspace')),
  layer(['src/detect/**', 'src/explore/**'], except('detect', 'explore')),
  layer(['src/prompts/**'], except('queue', 'prompts')),
  // telemetry/ writes its events file where the run's workspace says.
  layer(['src/telemetry/**'], except('queue', 'telemetry', 'workspace')),
  layer(['src/ui/**'], except('queue', 'ui', 'telemetry')),
  // runner/ drains a run through the port: claims, leases, agents, tools over MCP.
  layer(['src/runner/**'], except('queue', 'store', 'tools', 'agents', 'prompts', 'backend', 'runner', 'workspace')),
  layer(['src/programs/**'], except('queue', 'store', 'tools', 'agents', 'prompts', 'detect', 'explore', 'programs', 'fanout', 'bridge', 'backend', 'runner', 'workspace')),
  layer(['src/bridge/**'], except('queue', 'fanout', 'bridge')),
  // backend/ is the port; its local adapter is RunQueue (backend/local/run-queue.ts) over a Store (store/).
  // RunQueue implements queue/'s QueueOperations, which tools/ calls: backend/local imports nothing of tools/.
  layer(['src/backend/**'], except('queue', 'store', 'backend'), { knowsLayout: true }),
  // web/ (the dashboard) only reads runs through the port's RunReader; it reuses the pure queue/ and telemetry's metrics.
  layer(['src/web/**'], except('queue', 'backend', 'telemetry', 'web')),
  // cli/ may import every layer; what is inside a state dir it still reads through the ports.
  layer(['src/cli/**', 'src/testing/**'], []),
);
