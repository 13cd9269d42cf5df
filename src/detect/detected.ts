import type { FrameworkId } from './framework-id.js';
import type { PackageManager } from './package-manager.js';

/** What the seed step records in `queue.json` (SPEC: `detected`). */
export interface Detected {
  readonly framework: FrameworkId | null;
  readonly packageManager: PackageManager | null;
  /**
   * Where the app lives, relative to the install directory (POSIX): `.` for the root,
   * `backend` or `apps/web` for an app in a subfolder. Absent in runs recorded before it existed.
   */
  readonly appDir?: string;
}

/** An app found in a repository: its folder (root-relative, `.` for the root) and framework. */
export interface AppCandidate {
  readonly dir: string;
  readonly framework: FrameworkId | null;
}

/**
 * What kind of repository it is: one `app` (at `appDir`), several `apps` and none chosen (the
 * user picks one with `--app`), a `library` (a workspace of packages, or a published package,
 * with no app), or `none` (no framework or manifest matched).
 */
export type RepositoryKind = 'app' | 'apps' | 'library' | 'none';

export interface AppLayout {
  readonly kind: RepositoryKind;
  /** The chosen app's folder; `.` when the root is the app, or when no app was chosen. */
  readonly appDir: string;
  /** The apps found, the chosen one included; examples and docs sites are not among them. */
  readonly apps: readonly AppCandidate[];
  /** Apps under `examples/`, `templates/`, `docs/`, ...: demos of a library, never chosen. */
  readonly examples: readonly AppCandidate[];
  /** The workspace the root declares, or `null`. */
  readonly workspace: { readonly tools: readonly string[]; readonly members: number } | null;
  /** One line on why, for logs and the corpus table. */
  readonly reason: string;
}

/** Which Next.js router a project uses; `both` while an app migrates from pages to app. */
export type NextRouter = 'app' | 'pages' | 'both';

/** `Detected` plus the reasons, for logs, prompts and `drover status`. */
export interface DetectionDetails extends Detected {
  /** One line per signal that decided the result, e.g. `package.json: dependency "next"`. */
  readonly evidence: readonly string[];
  /** Every framework whose signals matched, in precedence order; `framework` is the first. */
  readonly matched: readonly FrameworkId[];
  /** Only for `nextjs`, when an `app/` or `pages/` directory with routes exists. */
  readonly nextRouter?: NextRouter;
  readonly appDir: string;
  readonly layout: AppLayout;
}
