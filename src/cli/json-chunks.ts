/**
 * `JSON.stringify(value, null, 2) + "\n"` in pieces, byte for byte: the top two levels (a plan's
 * keys, then each task request or record) are walked here and each element below is stringified
 * on its own and re-indented, so no output needs to fit in one string (V8 caps a string at
 * 512 MiB) and writing can start before the whole document is text. Raw newlines cannot occur
 * inside JSON strings, so re-indenting by replacing "\n" is exact.
 */
export function* jsonChunks(value: unknown): Generator<string> {
  yield* walk(value, '', 0);
  yield '\n';
}

const WALK_DEPTH = 2;

function* walk(value: unknown, indent: string, depth: number): Generator<string> {
  if (depth >= WALK_DEPTH || typeof value !== 'object' || value === null || typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    yield reindent(JSON.stringify(value, null, 2), indent);
    return;
  }
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) {
      yield '[]';
      return;
    }
    yield '[';
    for (let index = 0; index < value.length; index++) {
      yield index === 0 ? `\n${inner}` : `,\n${inner}`;
      const element: unknown = value[index];
      if (element === undefined || typeof element === 'function' || typeof element === 'symbol') yield 'null';
      else yield* walk(element, inner, depth + 1);
    }
    yield `\n${indent}]`;
    return;
  }
  let first = true;
  for (const key of Object.keys(value)) {
    const element: unknown = (value as Record<string, unknown>)[key];
    if (element === undefined || typeof element === 'function' || typeof element === 'symbol') continue;
    yield `${first ? '{' : ','}\n${inner}${JSON.stringify(key)}: `;
    first = false;
    yield* walk(element, inner, depth + 1);
  }
  yield first ? '{}' : `\n${indent}}`;
}

function reindent(text: string | undefined, indent: string): string {
  if (text === undefined) return 'null';
  return indent === '' ? text : text.replaceAll('\n', `\n${indent}`);
}
