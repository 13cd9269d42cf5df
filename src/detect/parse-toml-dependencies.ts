import { pythonPackageName } from './python-package-name.js';

/**
 * Dependency names from `pyproject.toml` or a `Pipfile`, by line scanning rather than a TOML
 * parser: detection only needs names, and a half-valid file should still yield what it can.
 *
 * It understands the layouts that occur in practice:
 * - PEP 621 and PEP 735 arrays of requirement strings: `dependencies = [...]` in `[project]`,
 *   every array in `[project.optional-dependencies]` and `[dependency-groups]`, and any
 *   `*-dependencies = [...]` array (uv's `dev-dependencies`);
 * - tables keyed by package name: Poetry's `[tool.poetry.dependencies]`,
 *   `[tool.poetry.group.<g>.dependencies]`, `[tool.poetry.dev-dependencies]`, and the Pipfile's
 *   `[packages]` and `[dev-packages]`.
 *
 * Also returns the table headers seen, so callers can spot `[tool.poetry]` or `[tool.uv]`.
 */
export interface TomlDependencies {
  readonly names: string[];
  /**
   * The names an installed app needs at runtime: `[project] dependencies`, Poetry's
   * `[tool.poetry.dependencies]`, the Pipfile's `[packages]`. Not dev groups or extras: a
   * library that tests against FastAPI, or offers it as an extra, is not a FastAPI app.
   */
  readonly runtime: string[];
  readonly tables: string[];
}

const RUNTIME_TABLE = /^(tool\.poetry\.dependencies|packages)$/;

const NAME_KEYED_TABLE = /(^|\.)(dependencies|dev-dependencies|packages|dev-packages)$/;
const ARRAY_TABLE = /^(project\.optional-dependencies|dependency-groups)$/;

export function parseTomlDependencies(text: string): TomlDependencies {
  const names: string[] = [];
  const runtime: string[] = [];
  const tables: string[] = [];
  let table = '';
  let inArray = false;
  let arrayIsRuntime = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = stripComment(raw).trim();
    if (line === '') continue;
    if (inArray) {
      collectStrings(line, names);
      if (arrayIsRuntime) collectStrings(line, runtime);
      if (closesArray(line)) inArray = false;
      continue;
    }
    const header = /^\[\[?\s*([^\]]+?)\s*\]\]?$/.exec(line);
    if (header?.[1] !== undefined) {
      table = header[1].replace(/["']/g, '');
      tables.push(table);
      continue;
    }
    const assignment = /^("?[A-Za-z0-9_.-]+"?)\s*=\s*(.*)$/.exec(line);
    if (assignment?.[1] === undefined || assignment[2] === undefined) continue;
    const key = assignment[1].replace(/"/g, '');
    const value = assignment[2];
    if (value.startsWith('[') && isDependencyArray(table, key)) {
      arrayIsRuntime = table === 'project' && key === 'dependencies';
      collectStrings(value, names);
      if (arrayIsRuntime) collectStrings(value, runtime);
      inArray = !closesArray(value.slice(1));
    } else if (NAME_KEYED_TABLE.test(table) && !table.startsWith('project')) {
      const name = pythonPackageName(key);
      if (name !== null && name !== 'python') {
        names.push(name);
        if (RUNTIME_TABLE.test(table)) runtime.push(name);
      }
    }
  }
  return { names, runtime, tables };
}

function isDependencyArray(table: string, key: string): boolean {
  if (ARRAY_TABLE.test(table)) return true;
  return key === 'dependencies' || key.endsWith('-dependencies');
}

function collectStrings(text: string, into: string[]): void {
  for (const match of text.matchAll(/"([^"]*)"|'([^']*)'/g)) {
    const name = pythonPackageName(match[1] ?? match[2] ?? '');
    if (name !== null) into.push(name);
  }
}

/** A `]` outside quoted strings (`"fastapi[standard]"` does not close the array). */
function closesArray(text: string): boolean {
  return text.replace(/"[^"]*"|'[^']*'/g, '').includes(']');
}

/** Drops a `#` comment unless the `#` sits inside a quoted string. */
function stripComment(line: string): string {
  let quote: string | null = null;
  for (let i = 0; i < line.length; i += 1) {
    const ch = line[i];
    if (quote !== null) {
      if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
    } else if (ch === '#') {
      return line.slice(0, i);
    }
  }
  return line;
}
