/**
 * A small, strict reader for the YAML that prompt frontmatter is written in, so `drover run` does
 * not load a full YAML parser (72 module files) for a dozen `key: value` lines. It reads:
 *
 * - `key: value` lines at column 0 (keys of letters, digits, `_` and `-`), each key once;
 * - plain scalars that start with a letter (of any script), `_` or `/` (`true` and `false` are
 *   booleans), and one-line `'single'` or `"double"` quoted strings (no backslash escapes);
 * - one-line flow lists (`[a, 'b c', d]`, `[]`) and block lists (`key:` then `- item` lines);
 * - blank lines, `# comment` lines and ` # comment` after a value.
 *
 * Anything else (multi-line values, escapes, numbers, `null`, anchors, tags, nested maps, tabs, a
 * duplicate key, ...) returns `undefined`: the caller then asks the real YAML parser, which
 * decides and words any error. Whatever this returns is what `yaml`'s `parseDocument().toJS()`
 * returns for the same text (`simple-frontmatter.test.ts` checks that against yaml itself).
 */
export function readSimpleFrontmatter(text: string): Record<string, unknown> | undefined {
  const data: Record<string, unknown> = {};
  const lines = text.split('\n');
  let index = 0;
  while (index < lines.length) {
    const line = lines[index]!;
    index += 1;
    if (isIgnorable(line)) continue;
    const entry = KEY_LINE.exec(line);
    if (entry === null) return undefined;
    const key = entry[1]!;
    const rest = entry[2]!;
    // yaml refuses implicit keys over 1,024 characters and reads `null: x` with a null key.
    if (key.length > 100 || key === '__proto__' || NOT_A_STRING.has(key) || Object.hasOwn(data, key)) return undefined;
    let value: unknown;
    if (isIgnorable(rest)) {
      // `key:` alone: a block list follows, or the value is null (left to yaml).
      const list: unknown[] = [];
      let indent: string | undefined;
      while (index < lines.length) {
        const next = lines[index]!;
        if (isIgnorable(next)) {
          index += 1;
          continue;
        }
        const item = ITEM_LINE.exec(next);
        if (item === null || (indent !== undefined && item[1] !== indent)) break;
        indent = item[1]!;
        const parsed = readValue(item[2]!, 'block');
        if (parsed === NOT_SIMPLE || Array.isArray(parsed)) return undefined;
        list.push(parsed);
        index += 1;
      }
      if (indent === undefined) return undefined;
      value = list;
    } else {
      value = readValue(rest, 'block');
      if (value === NOT_SIMPLE) return undefined;
    }
    data[key] = value;
  }
  return data;
}

/** Stands for "not one of the simple forms": the caller falls back to the YAML parser. */
const NOT_SIMPLE = Symbol('not simple');

/** `key:` then nothing or at least one space and the value. */
const KEY_LINE = /^([A-Za-z_][A-Za-z0-9_-]*):(?:$| +(.*)$)/;
/** A block list item: spaces, `-`, at least one space, the value. */
const ITEM_LINE = /^( *)- +(\S.*)$/;
/** Printable characters that YAML takes as they are (no tabs, controls, BOM or surrogates). */
const SAFE = /^[\x20-\x7E\u00A0-\uD7FF\uE000-\uFEFE\uFF00-\uFFFD]*$/;
/** A plain scalar's first character: nothing YAML could read as an indicator, number or null. */
const PLAIN_START = /^[\p{L}_/]/u;
/** The plain scalars the YAML 1.2 core schema reads as something other than a string. */
const NOT_A_STRING = new Set(['null', 'Null', 'NULL', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE']);

/** Blank, or a comment. */
function isIgnorable(line: string | undefined): boolean {
  return line === undefined || (/^ *(?:#.*)?$/.test(line) && SAFE.test(line));
}

/** A value as it follows `key: ` or `- `: a flow list, a quoted string, or a plain scalar. */
function readValue(source: string, context: 'block' | 'flow'): unknown {
  if (!SAFE.test(source)) return NOT_SIMPLE;
  if (source.startsWith('[')) {
    if (context === 'flow') return NOT_SIMPLE;
    const close = source.indexOf(']');
    if (close === -1 || !isEnd(source.slice(close + 1))) return NOT_SIMPLE;
    const inner = source.slice(1, close);
    if (/^ *$/.test(inner)) return [];
    const items: unknown[] = [];
    for (const part of splitFlowItems(inner)) {
      const item = readValue(trimSpaces(part), 'flow');
      if (item === NOT_SIMPLE) return NOT_SIMPLE;
      items.push(item);
    }
    return items;
  }
  if (source.startsWith("'") || source.startsWith('"')) {
    const quoted = readQuoted(source);
    if (quoted === undefined) return NOT_SIMPLE;
    if (context === 'flow' ? !/^ *$/.test(quoted.rest) : !isEnd(quoted.rest)) return NOT_SIMPLE;
    return quoted.value;
  }
  return readPlain(source, context);
}

/**
 * The items of a flow list's inside, split at every comma. A quoted item holding a comma is then
 * cut in two, and its first half lacks the closing quote, so the list is left to yaml.
 */
function splitFlowItems(inner: string): string[] {
  return inner.split(',');
}

/** A quoted string at the start of `source`, on one line: `'it''s'`, or `"text"` with no backslash. */
function readQuoted(source: string): { value: string; rest: string } | undefined {
  const quote = source[0]!;
  if (quote === '"') {
    const end = source.indexOf('"', 1);
    if (end === -1) return undefined;
    const value = source.slice(1, end);
    if (value.includes('\\')) return undefined;
    return { value, rest: source.slice(end + 1) };
  }
  let value = '';
  let at = 1;
  for (;;) {
    const end = source.indexOf("'", at);
    if (end === -1) return undefined;
    value += source.slice(at, end);
    if (source[end + 1] !== "'") return { value, rest: source.slice(end + 1) };
    value += "'";
    at = end + 2;
  }
}

/**
 * Drops the spaces around a value. Only the ASCII space counts (tabs are refused earlier): YAML
 * keeps U+00A0, U+3000 and the other Unicode spaces that String.prototype.trim() would drop.
 */
function trimSpaces(text: string): string {
  return text.replace(/^ +| +$/g, '');
}

/** What may follow a value on its line: spaces, then nothing or a ` # comment`. */
function isEnd(rest: string): boolean {
  return /^(?: *| +#.*)$/.test(rest);
}

/** A plain scalar: the value up to a ` #` comment, trailing spaces dropped; `true`/`false` are booleans. */
function readPlain(source: string, context: 'block' | 'flow'): unknown {
  const comment = source.search(/ #/);
  if (comment !== -1 && context === 'flow') return NOT_SIMPLE;
  const value = trimSpaces(comment === -1 ? source : source.slice(0, comment));
  if (!PLAIN_START.test(value)) return NOT_SIMPLE;
  // `: ` (or a final `:`) would start a mapping; in a flow list `,[]{}` and `:` are indicators too.
  if (/:(?: |$)/.test(value)) return NOT_SIMPLE;
  if (context === 'flow' && /[[\]{},:#]/.test(value)) return NOT_SIMPLE;
  if (NOT_A_STRING.has(value)) return value === 'true' ? true : value === 'false' ? false : NOT_SIMPLE;
  return value;
}
