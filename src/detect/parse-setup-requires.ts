import { pythonPackageName } from './python-package-name.js';

/**
 * Package names from `install_requires` in a `setup.py` (a Python list literal) or a
 * `setup.cfg` (an indented list under `[options]`). Scanned, not executed.
 */
export function parseSetupRequires(text: string): string[] {
  const names: string[] = [];
  const list = /install_requires\s*=\s*\[([^\]]*)\]/.exec(text);
  if (list?.[1] !== undefined) {
    for (const match of list[1].matchAll(/"([^"]*)"|'([^']*)'/g)) push(names, match[1] ?? match[2] ?? '');
    return names;
  }
  const cfg = /^install_requires\s*=[ \t]*(.*)\n((?:[ \t]+\S.*(?:\n|$))*)/m.exec(text);
  if (cfg !== null) {
    for (const line of [cfg[1] ?? '', ...(cfg[2] ?? '').split('\n')]) push(names, line.replace(/#.*$/, ''));
  }
  return names;
}

function push(names: string[], requirement: string): void {
  const name = pythonPackageName(requirement);
  if (name !== null) names.push(name);
}
