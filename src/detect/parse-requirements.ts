import { pythonPackageName } from './python-package-name.js';

/**
 * Package names from a pip requirements file. Options (`-r base.txt`, `--index-url`), editable
 * installs, URLs and comments are skipped: detection needs names, not a resolver.
 */
export function parseRequirements(text: string): string[] {
  const names: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (line === '' || line.startsWith('-') || /^[a-z+]+:\/\//i.test(line)) continue;
    const name = pythonPackageName(line);
    if (name !== null) names.push(name);
  }
  return names;
}
