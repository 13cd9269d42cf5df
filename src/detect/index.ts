export { FRAMEWORK_IDS, isFrameworkId, ecosystemOf, type FrameworkId, type Ecosystem } from './framework-id.js';
export { PACKAGE_MANAGERS, isPackageManager, type PackageManager } from './package-manager.js';
export type { AppCandidate, AppLayout, Detected, DetectionDetails, NextRouter, RepositoryKind } from './detected.js';
export { AppChoiceError } from './app-choice-error.js';
export { detectProject, detectProjectDetails, type DetectOptions } from './detect-project.js';
export { assertInstallDir } from './assert-install-dir.js';
export { walkFiles, DEFAULT_MAX_DEPTH, DEFAULT_MAX_FILES, type WalkCut, type WalkOptions, type WalkResult } from './walk-files.js';
export { createTimeBudget, type TimeBudget, type TimeBudgetOptions } from './time-budget.js';
export { SKIPPED_DIR_NAMES, isSkippedDirName } from './skipped-dir-names.js';
