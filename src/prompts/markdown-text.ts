/** Indents every non-empty line, so a multi-line block stays inside a markdown list item. */
export function indentLines(text: string, spaces: number): string {
  const pad = ' '.repeat(spaces);
  return text
    .split('\n')
    .map((line) => (line === '' ? line : pad + line))
    .join('\n');
}

/** An inline code span that survives backticks inside the text. */
export function inlineCode(text: string): string {
  if (!text.includes('`')) return `\`${text}\``;
  return `\`\` ${text} \`\``;
}

/** Collapses whitespace (newlines included) so agent-written text fits in one heading line. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
