/** The package managers drover reports, one per ecosystem, read from lockfiles and manifests. */
export const PACKAGE_MANAGERS = ['npm', 'pnpm', 'yarn', 'bun', 'pip', 'poetry', 'uv', 'pipenv', 'bundler', 'composer'] as const;

export type PackageManager = (typeof PACKAGE_MANAGERS)[number];

const PACKAGE_MANAGER_SET: ReadonlySet<string> = new Set(PACKAGE_MANAGERS);

export function isPackageManager(value: unknown): value is PackageManager {
  return typeof value === 'string' && PACKAGE_MANAGER_SET.has(value);
}
