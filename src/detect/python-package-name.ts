/**
 * The normalised name of a Python distribution (PEP 503: lower case, runs of `-`, `_` and `.`
 * become one `-`), taken from the front of a PEP 508 requirement such as
 * `Django[argon2]>=5.0 ; python_version >= "3.10"`. `null` when the text does not start with one.
 */
export function pythonPackageName(requirement: string): string | null {
  const match = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(requirement);
  if (match?.[1] === undefined) return null;
  return match[1].toLowerCase().replace(/[-_.]+/g, '-');
}
