import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalBackend } from '../src/backend/index.js';
import { FileStore, MemoryStore } from '../src/store/index.js';
import { TEST_POLICY } from '../src/testing/index.js';
import { describeBackendConformance } from './conformance/backend-conformance.js';

describeBackendConformance('local over memory', {
  open: async () => new LocalBackend(new MemoryStore(), TEST_POLICY, { reaperIntervalMs: 20 }),
  dispose: (backend) => backend.close(),
});

const dirs = new Map<object, string>();
describeBackendConformance('local over files', {
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
});
