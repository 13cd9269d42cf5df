import { readdirSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import { isSkippedDirName, SKIP_MARKER_FILES } from './skipped-dir-names.js';
import type { TimeBudget } from './time-budget.js';

/**
 * The one bounded directory walker used by detection and exploration.
 *
 * Breadth-first with entries sorted by name, so a cut (file cap, depth cap, time budget) always
 * keeps the shallowest files, and the same tree gives the same list. It never follows symbolic
 * links (a link can point outside the project or back into it), never enters the directories in
 * `skipped-dir-names.ts`, and opens no file: callers read what they need.
 */
export type WalkCut = 'max-files' | 'max-depth' | 'time-budget' | 'aborted';

export interface WalkOptions {
  /** Stop after this many files. Default 20,000. */
  readonly maxFiles?: number | undefined;
  /** Directory levels below `root` to enter (a file directly in `root` is at depth 0). Default 24. */
  readonly maxDepth?: number | undefined;
  /** Start here instead of `root` (POSIX, relative to `root`); paths stay relative to `root`. */
  readonly under?: string | undefined;
  readonly budget?: TimeBudget | undefined;
  /** Stop as soon as a listed file satisfies this (it is the last one in `files`); not a cut. */
  readonly stopAt?: ((path: string) => boolean) | undefined;
}

export interface WalkResult {
  /** Files relative to `root`, POSIX separators, in breadth-first name order. */
  readonly files: string[];
  /** Why the walk stopped early, or `null` if it saw everything it was allowed to see. */
  readonly cut: WalkCut | null;
  readonly dirsRead: number;
}

export const DEFAULT_MAX_FILES = 20_000;
export const DEFAULT_MAX_DEPTH = 24;

export async function walkFiles(root: string, options: WalkOptions = {}): Promise<WalkResult> {
  const maxFiles = options.maxFiles ?? DEFAULT_MAX_FILES;
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  const files: string[] = [];
  let cut: WalkCut | null = null;
  let depthCut = false;
  let dirsRead = 0;
  let level: string[] = [options.under ?? ''];
  for (let depth = 0; level.length > 0 && cut === null; depth += 1) {
    const next: string[] = [];
    for (const rel of level) {
      if (options.budget !== undefined && (await options.budget.pause())) {
        cut = options.budget.reason() ?? 'time-budget';
        break;
      }
      const entries = readEntries(rel === '' ? root : join(root, rel));
      if (entries === null) continue;
      dirsRead += 1;
      if (rel !== '' && entries.some((entry) => SKIP_MARKER_FILES.has(entry.name) && entry.isFile())) continue;
      for (const entry of entries) {
        const path = rel === '' ? entry.name : `${rel}/${entry.name}`;
        if (entry.isFile()) {
          if (files.length >= maxFiles) {
            cut = 'max-files';
            break;
          }
          files.push(path);
          if (options.stopAt?.(path) === true) return { files, cut: null, dirsRead };
        } else if (entry.isDirectory() && !isSkippedDirName(entry.name)) {
          if (depth + 1 > maxDepth) depthCut = true;
          else next.push(path);
        }
      }
      if (cut === 'max-files') break;
    }
    level = next;
  }
  return { files, cut: cut ?? (depthCut ? 'max-depth' : null), dirsRead };
}

function readEntries(dir: string): Dirent[] | null {
  try {
    return readdirSync(dir, { withFileTypes: true }).sort(byName);
  } catch {
    return null;
  }
}

function byName(a: Dirent, b: Dirent): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}
