import { UsageError } from '../errors/usage-error.js';

/**
 * Splits a command line into argv the way a POSIX shell would for plain words and quotes —
 * `'single'`, `"double"` (with `\"` and `\\`), and backslash escapes — but runs no shell: no
 * globbing, variables, pipes or redirections, so a placeholder value can never inject one.
 */
export function splitCommandLine(line: string): string[] {
  const args: string[] = [];
  let current = '';
  let inWord = false;
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < line.length; i += 1) {
    const char = line[i]!;
    if (quote === "'") {
      if (char === "'") quote = undefined;
      else current += char;
    } else if (quote === '"') {
      if (char === '"') quote = undefined;
      else if (char === '\\' && (line[i + 1] === '"' || line[i + 1] === '\\')) current += line[++i];
      else current += char;
    } else if (char === "'" || char === '"') {
      quote = char;
      inWord = true;
    } else if (char === '\\' && i + 1 < line.length) {
      current += line[++i];
      inWord = true;
    } else if (/\s/.test(char)) {
      if (inWord) args.push(current);
      current = '';
      inWord = false;
    } else {
      current += char;
      inWord = true;
    }
  }
  if (quote !== undefined) throw new UsageError(`--agent-cmd: unclosed ${quote} quote`);
  if (inWord) args.push(current);
  if (args.length === 0) throw new UsageError('--agent-cmd: expected a command, got an empty string');
  return args;
}
