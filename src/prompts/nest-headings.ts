const HEADING = /^( {0,3})(#{1,6})(?=[ \t]|$)/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/**
 * Demotes ATX headings (outside fenced code) so the shallowest one sits at `topLevel`, keeping
 * their relative depth and capping at `######`. Embedded markdown (a prompt body, a skill, a
 * handoff written by another agent) can then never open a section that competes with the
 * assembled prompt's own.
 */
export function nestHeadings(text: string, topLevel: number): string {
  const lines = text.split('\n');
  const headings = headingLines(lines);
  let shallowest = 7;
  for (const index of headings) shallowest = Math.min(shallowest, HEADING.exec(lines[index] ?? '')?.[2]?.length ?? 7);
  const shift = topLevel - shallowest;
  if (shift <= 0) return text;
  for (const index of headings) {
    lines[index] = (lines[index] ?? '').replace(HEADING, (_match, indent: string, hashes: string) => indent + '#'.repeat(Math.min(6, hashes.length + shift)));
  }
  return lines.join('\n');
}

function headingLines(lines: readonly string[]): number[] {
  const found: number[] = [];
  let fence: string | undefined;
  lines.forEach((line, index) => {
    const marker = FENCE.exec(line)?.[1];
    if (fence !== undefined) {
      if (marker !== undefined && marker[0] === fence[0] && marker.length >= fence.length && line.trim() === marker) fence = undefined;
      return;
    }
    if (marker !== undefined) fence = marker;
    else if (HEADING.test(line)) found.push(index);
  });
  return found;
}
