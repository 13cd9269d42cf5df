import type { FrameworkId } from './framework-id.js';
import type { PackageManager } from './package-manager.js';

/** What the seed step records in `queue.json` (SPEC: `detected`). */
export interface Detected {
  readonly framework: FrameworkId | null;
  readonly packageManager: PackageManager | null;
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
}
