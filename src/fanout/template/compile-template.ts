import { isFanoutGroup } from '../plan/fanout-group.js';
import { getOwnPath } from '../json/get-own-path.js';
import { groupTemplateField, isGroupTemplateField } from './group-template-field.js';
import { isPlainObject } from '../../util/is-plain-object.js';
import { parseDotPath } from '../json/parse-dot-path.js';
import { setOwnProperty } from '../json/set-own-property.js';

/**
 * The template language, compiled once and rendered per group.
 *
 * `{{ expr }}` is a dot path into the context (`group.key`, `orchestrator.run_id`, `config.x`,
 * `group.items.0.id`), plus the derived `group.item_count|item_ids|packet_ids|finding_ids`.
 * A string that is exactly one placeholder keeps the value's type (arrays stay arrays); in a
 * longer string each placeholder becomes text (`null`/missing → "", objects → compact JSON).
 * Rendering is single-pass: a substituted value is never rendered again. Object keys whose value
 * renders to nothing are left out; array slots become `null`, which is what JSON would do anyway.
 */
export type TemplateContext = Readonly<Record<string, unknown>>;
export type CompiledTemplate = (context: TemplateContext) => unknown;

const WHOLE = /^\{\{([^}]+)\}\}$/;
const PLACEHOLDER = /\{\{([^}]+)\}\}/g;

export function compileTemplate(template: unknown): CompiledTemplate {
  if (typeof template === 'string') return compileString(template);
  if (Array.isArray(template)) {
    const parts = template.map(compileTemplate);
    return (context) => parts.map((part) => part(context) ?? null);
  }
  if (isPlainObject(template)) {
    const entries = Object.keys(template).map((key) => [key, compileTemplate(template[key])] as const);
    return (context) => {
      const out: Record<string, unknown> = {};
      for (const [key, part] of entries) {
        const value = part(context);
        if (value !== undefined) setOwnProperty(out, key, value);
      }
      return out;
    };
  }
  return () => template;
}

/** Every placeholder path a template reads, in template order (object keys are never templated). */
export function templatePaths(template: unknown, out: (readonly string[])[] = []): (readonly string[])[] {
  if (typeof template === 'string') {
    for (const match of template.matchAll(PLACEHOLDER)) out.push(parseDotPath(match[1] ?? ''));
  } else if (Array.isArray(template)) {
    for (const part of template) templatePaths(part, out);
  } else if (isPlainObject(template)) {
    for (const key of Object.keys(template)) templatePaths(template[key], out);
  }
  return out;
}

function compileString(template: string): CompiledTemplate {
  const whole = WHOLE.exec(template);
  if (whole !== null) {
    const path = parseDotPath(whole[1] ?? '');
    return (context) => resolveExpression(context, path);
  }
  const literals: string[] = [];
  const paths: (readonly string[])[] = [];
  let last = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    literals.push(template.slice(last, match.index));
    paths.push(parseDotPath(match[1] ?? ''));
    last = match.index + match[0].length;
  }
  if (paths.length === 0) return () => template;
  literals.push(template.slice(last));
  return (context) => {
    let out = literals[0] ?? '';
    for (let i = 0; i < paths.length; i++) out += stringify(resolveExpression(context, paths[i] ?? [])) + (literals[i + 1] ?? '');
    return out;
  };
}

/** Resolves one placeholder path against the context, including the derived group fields. */
export function resolveExpression(context: TemplateContext, path: readonly string[]): unknown {
  const [head, field] = path;
  if (head === 'group' && field !== undefined && isGroupTemplateField(field)) {
    const group = Object.hasOwn(context, 'group') ? context['group'] : undefined;
    if (isFanoutGroup(group)) return getOwnPath(groupTemplateField(group, field), path.slice(2));
  }
  return getOwnPath(context, path);
}

function stringify(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'object') return JSON.stringify(value) ?? '';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return '';
}
