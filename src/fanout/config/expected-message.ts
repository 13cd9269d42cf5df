import { describeValue } from '../../util/describe-value.js';

/** A zod error function in the house format: `expected <what>, got <type>`. */
export function expectedMessage(what: string): (issue: { input?: unknown }) => string {
  return (issue) => `expected ${what}, got ${describeValue(issue.input)}`;
}
