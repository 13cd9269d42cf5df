import { describe, expect, it } from 'vitest';
import { nestHeadings } from './nest-headings.js';

describe('nestHeadings', () => {
  it('shifts headings so the shallowest lands on the given level, keeping relative depth', () => {
    expect(nestHeadings('# A\ntext\n## B\n###### C', 3)).toBe('### A\ntext\n#### B\n###### C');
  });

  it('leaves text alone when its headings are already deep enough', () => {
    expect(nestHeadings('#### A\n##### B', 3)).toBe('#### A\n##### B');
  });

  it('does not touch "#" lines inside fenced code or hashtags', () => {
    const text = '## Title\n```sh\n# a comment\n```\n~~~~\n# also code\n~~~~\n#hashtag';
    expect(nestHeadings(text, 4)).toBe('#### Title\n```sh\n# a comment\n```\n~~~~\n# also code\n~~~~\n#hashtag');
  });
});
