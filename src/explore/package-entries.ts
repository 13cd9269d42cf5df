import { join, posix } from 'node:path';
import { readFileHeadSync } from '../detect/read-file-head.js';

/** Files a package.json names as its entry (`main`, `bin`), root-relative and normalised (`./server.js` → `server.js`). */
export function packageEntries(installDir: string): Set<string> {
  const text = readFileHeadSync(join(installDir, 'package.json'), 256 * 1024);
  const out = new Set<string>();
  if (text === null) return out;
  let manifest: unknown;
  try {
    manifest = JSON.parse(text);
  } catch {
    return out;
  }
  if (typeof manifest !== 'object' || manifest === null) return out;
  const { main, bin } = manifest as { main?: unknown; bin?: unknown };
  const candidates = [main, ...(typeof bin === 'object' && bin !== null ? Object.values(bin) : [bin])];
  for (const candidate of candidates) {
    if (typeof candidate !== 'string') continue;
    const normal = posix.normalize(candidate.replace(/\\/g, '/'));
    if (!normal.startsWith('..') && !posix.isAbsolute(normal)) out.add(normal);
  }
  return out;
}
