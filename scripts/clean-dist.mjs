// tsc writes output but never deletes it: a module that was moved or removed would stay in dist/
// (and in the published package) under its old path. Each build starts from an empty dist/.
import { rmSync } from 'node:fs';

rmSync(new URL('../dist/', import.meta.url), { recursive: true, force: true });
