import type { FrameworkId } from './framework-id.js';
import { FRAMEWORK_RULES, javascriptEvidence, nodeEvidence, pythonFallbackEvidence, type FrameworkRule } from './framework-rules.js';
import type { ProjectFacts } from './read-project-facts.js';

export interface FrameworkDetection {
  readonly framework: FrameworkId | null;
  /** Every framework that matched, in precedence order. */
  readonly matched: FrameworkId[];
  /** The evidence of the winning framework. */
  readonly evidence: string[];
}

/**
 * Applies the framework rules in precedence order, then the generic fallbacks.
 *
 * The fallbacks compete only when no framework matched. A package.json with runtime
 * `dependencies` is an application, so `javascript`/`node` come before `python`; a package.json
 * with only devDependencies is usually tooling (prettier, husky) in a Python repository, so
 * `python` comes first. `javascript` (browser code: a bundler, `index.html`, a UI library with
 * no id of its own) comes before `node`, which matches any package.json, as in the PostHog wizard.
 */
export function detectFramework(facts: ProjectFacts): FrameworkDetection {
  const javascript: FrameworkRule = { id: 'javascript', match: javascriptEvidence };
  const node: FrameworkRule = { id: 'node', match: nodeEvidence };
  const python: FrameworkRule = { id: 'python', match: pythonFallbackEvidence };
  const jsFirst = (facts.packageJson?.runtimeDependencyCount ?? 0) > 0;
  const rules = [...FRAMEWORK_RULES, ...(jsFirst ? [javascript, node, python] : [python, javascript, node])];

  const matched: FrameworkId[] = [];
  let evidence: string[] = [];
  for (const rule of rules) {
    const found = rule.match(facts);
    if (found.length === 0) continue;
    if (matched.length === 0) evidence = found;
    matched.push(rule.id);
  }
  return { framework: matched[0] ?? null, matched, evidence };
}
