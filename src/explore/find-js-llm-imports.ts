import { lineAt, linePrefix } from './line-at.js';
import { firstPerModule, type LlmImport } from './llm-import.js';
import { JS_LLM_HINT, jsLlmProvider, jsPackageName } from './llm-provider.js';

/**
 * LLM SDK imports in JavaScript or TypeScript (also the script blocks of .vue, .svelte and
 * .astro files): `import ... from 'x'` (over several lines too), `export ... from 'x'`,
 * `import 'x'`, `import('x')` and `require('x')`.
 *
 * A regex scan, not a parser: it is run on thousands of files inside a start-up budget. It
 * skips what would mislead a planner: type-only imports (`import type`, `import { type A }`,
 * a type reference `import("pkg").Type` or `typeof import("pkg")`: none runs at runtime) and
 * calls on a line commented out with `//` or inside a block comment whose lines start with `*`.
 */
const STATIC_FROM = /^[ \t]*(?:import|export)\b([^'"`;]*?)\bfrom[ \t\r\n]*(['"])([^'"\r\n]+)\2/gm;
const SIDE_EFFECT = /^[ \t]*import[ \t]*(['"])([^'"\r\n]+)\1/gm;
const CALL = /\b(?:import|require)[ \t]*\([ \t]*(['"])([^'"\r\n]+)\1[ \t]*\)/g;
/** `import("pkg").Type` names a type; `.then(`/`.catch(`/`.finally(` use the module at runtime. */
const TYPE_MEMBER = /^\s*\.\s*(?!(?:then|catch|finally)\b)[A-Za-z_$][\w$]*/;

/** `type X`, `type { X }`, or braces whose every specifier is `type X` (`import { type A, type B } from`). */
function isTypeOnlyClause(clause: string): boolean {
  if (/^\s*type\b/.test(clause)) return true;
  const braces = /^\s*\{([^}]*)\}\s*$/.exec(clause)?.[1];
  if (braces === undefined) return false;
  const specifiers = braces.split(',').map((part) => part.trim()).filter((part) => part !== '');
  return specifiers.length > 0 && specifiers.every((part) => /^type\s+/.test(part));
}

export function findJsLlmImports(text: string): LlmImport[] {
  if (!JS_LLM_HINT.test(text)) return [];
  const found: LlmImport[] = [];
  const add = (specifier: string, offset: number): void => {
    const module = jsPackageName(specifier);
    const provider = module === null ? null : jsLlmProvider(module);
    if (module !== null && provider !== null) found.push({ line: lineAt(text, offset), module, provider });
  };
  for (const match of text.matchAll(STATIC_FROM)) {
    if (isTypeOnlyClause(match[1] ?? '')) continue;
    add(match[3] ?? '', match.index);
  }
  for (const match of text.matchAll(SIDE_EFFECT)) add(match[2] ?? '', match.index);
  for (const match of text.matchAll(CALL)) {
    const before = linePrefix(text, match.index);
    if (before.includes('//') || /^\s*\*/.test(before) || /\btypeof\s*$/.test(before)) continue;
    if (match[0].startsWith('import') && TYPE_MEMBER.test(text.slice(match.index + match[0].length, match.index + match[0].length + 64))) continue;
    add(match[2] ?? '', match.index);
  }
  return firstPerModule(found);
}
