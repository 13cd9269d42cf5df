/**
 * The last `maxBytes` bytes of `text` in UTF-8, starting on a character boundary (a character
 * cut by the bound is dropped whole, never half-decoded into U+FFFD). What a backend keeps of
 * an agent's log.
 */
export function logTail(text: string, maxBytes: number): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return text;
  let start = bytes.length - maxBytes;
  // Continuation bytes are 10xxxxxx: step forward to the first byte that starts a character.
  while (start < bytes.length && (bytes[start]! & 0xc0) === 0x80) start += 1;
  return bytes.subarray(start).toString('utf8');
}
