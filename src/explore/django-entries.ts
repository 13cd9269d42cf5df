import { join } from 'node:path';
import { readFileHeadSync } from '../detect/read-file-head.js';
import { isTestPath } from './source-language.js';

/**
 * A Django project's settings modules and root URLconfs, as Django itself finds them: the
 * module `DJANGO_SETTINGS_MODULE` names in `manage.py`, `wsgi.py` or `asgi.py` (resolved from
 * the folder of the file that names it, or a parent: `src/manage.py` naming `paperless.settings`
 * is `src/paperless/settings.py` or `src/paperless/settings/__init__.py`), and the
 * `ROOT_URLCONF` that settings module names (else the `urls.py` beside it).
 *
 * Any other `settings.py` is an app's constants module (paperless's `documents/settings.py`),
 * not where an SDK is initialised. When no file names a settings module, the `settings.py`
 * files that define `INSTALLED_APPS` stand in; when none does, every `settings.py` does.
 */
export interface DjangoEntries {
  readonly settings: string[];
  readonly urls: string[];
}

const SETTINGS_MODULE = /DJANGO_SETTINGS_MODULE["']?\s*(?:,|=|:)\s*(?:f?["'])([A-Za-z_][\w.]*)["']/;
const ROOT_URLCONF = /^\s*ROOT_URLCONF\s*=\s*["']([A-Za-z_][\w.]*)["']/m;
const HEAD_BYTES = 16 * 1024;

export function djangoEntries(root: string, files: readonly string[]): DjangoEntries {
  const all = new Set(files);
  const read = (file: string): string => readFileHeadSync(join(root, file), HEAD_BYTES) ?? '';
  const settings = new Set<string>();
  for (const file of files) {
    if (!/(^|\/)(manage|wsgi|asgi)\.py$/.test(file) || isTestPath(file)) continue;
    const module = SETTINGS_MODULE.exec(read(file))?.[1];
    const resolved = module === undefined ? null : resolveModule(module, dirOf(file), all);
    if (resolved !== null) settings.add(resolved);
  }
  if (settings.size === 0) {
    const candidates = files.filter((file) => /(^|\/)settings\.py$/.test(file) && !isTestPath(file));
    const defining = candidates.filter((file) => /^\s*INSTALLED_APPS\s*=/m.test(read(file)));
    for (const file of defining.length > 0 ? defining : candidates) settings.add(file);
  }
  const urls = new Set<string>();
  for (const file of settings) {
    const urlconf = ROOT_URLCONF.exec(read(file))?.[1];
    const resolved = urlconf === undefined ? null : resolveModule(urlconf, dirOf(file), all);
    const beside = `${packageDirOf(file)}urls.py`;
    if (resolved !== null) urls.add(resolved);
    else if (all.has(beside)) urls.add(beside);
  }
  return { settings: [...settings].sort(), urls: [...urls].sort() };
}

/** `a.b` from `dir` or any parent of it: `dir/a/b.py` or `dir/a/b/__init__.py`. */
function resolveModule(module: string, dir: string, files: ReadonlySet<string>): string | null {
  const path = module.split('.').join('/');
  for (let base = dir; ; base = dirOf(base.slice(0, -1))) {
    for (const candidate of [`${base}${path}.py`, `${base}${path}/__init__.py`]) if (files.has(candidate)) return candidate;
    if (base === '') return null;
  }
}

/** `src/manage.py` → `src/`; `manage.py` → ``. */
function dirOf(file: string): string {
  return file.slice(0, file.lastIndexOf('/') + 1);
}

/** The folder of the package a settings module belongs to: `x/settings.py` → `x/`, `x/settings/__init__.py` → `x/`. */
function packageDirOf(file: string): string {
  const dir = dirOf(file);
  return /(^|\/)settings\/$/.test(dir) ? dirOf(dir.slice(0, -1)) : dir;
}
