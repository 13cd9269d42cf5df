import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalBackend, type Backend } from '../src/backend/index.js';
import { FileStore, MemoryStore } from '../src/store/index.js';
import { TEST_POLICY } from '../src/testing/index.js';
import { describeBackendConformance, describeSeedAndReadConformance, type BackendHarness } from './conformance/backend-conformance.js';

const memory = {
  open: async () => new LocalBackend(new MemoryStore(), TEST_POLICY, { reaperIntervalMs: 20 }),
  dispose: (backend: Backend) => backend.close(),
};
describeBackendConformance('local over memory', memory);
describeSeedAndReadConformance('local over memory', memory);

const dirs = new Map<object, string>();
const files = {
  open: async () => {
    const dir = await mkdtemp(join(tmpdir(), 'drover-backend-'));
    const backend = new LocalBackend(new FileStore(dir), TEST_POLICY, { reaperIntervalMs: 20 });
    dirs.set(backend, dir);
    return backend;
  },
  dispose: async (backend) => {
    await backend.close();
    await rm(dirs.get(backend)!, { recursive: true, force: true });
  },
} satisfies BackendHarness;
describeBackendConformance('local over files', files);
describeSeedAndReadConformance('local over files', files);
