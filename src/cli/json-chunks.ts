/** A piece of output text, or a run of pieces that must be awaited (an array produced lazily). */
export type JsonChunk = string | AsyncIterable<string>;

/**
 * `JSON.stringify(value, null, 2) + "\n"` in pieces, byte for byte: the top two levels (a plan's
 * keys, then each task request or record) are walked here and each element below is stringified
 * on its own and re-indented, so no output needs to fit in one string (V8 caps a string at
 * 512 MiB) and writing can start before the whole document is text. Raw newlines cannot occur
 * inside JSON strings, so re-indenting by replacing "\n" is exact.
 *
 * An `AsyncIterable` in the top two levels is written as an array of what it yields, read only
 * when the writer gets there: a result can list records that are read from a file again while
 * it is written, instead of being held. Everything else stays synchronous, a promise per lazy
 * array rather than per piece.
 */
export function* jsonChunks(value: unknown): Generator<JsonChunk> {
  yield* walk(value, '', 0);
  yield '\n';
}

const WALK_DEPTH = 2;

function* walk(value: unknown, indent: string, depth: number): Generator<JsonChunk> {
  if (depth < WALK_DEPTH && isAsyncIterable(value)) {
    yield lazyArray(value, indent, depth);
    return;
  }
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

async function* lazyArray(values: AsyncIterable<unknown>, indent: string, depth: number): AsyncGenerator<string> {
  const inner = `${indent}  `;
  let first = true;
  for await (const element of values) {
    yield first ? `[\n${inner}` : `,\n${inner}`;
    first = false;
    for (const chunk of walk(element ?? null, inner, depth + 1)) {
      if (typeof chunk === 'string') yield chunk;
      else yield* chunk;
    }
  }
  yield first ? '[]' : `\n${indent}]`;
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function';
}

function reindent(text: string | undefined, indent: string): string {
  if (text === undefined) return 'null';
  return indent === '' ? text : text.replaceAll('\n', `\n${indent}`);
}
