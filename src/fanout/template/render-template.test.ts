import { describe, expect, it } from 'vitest';
import { renderTemplate } from './render-template.js';

describe('renderTemplate', () => {
  it('renders once against a context', () => {
    expect(renderTemplate({ id: 'task-{{group.key}}', n: '{{group.index}}' }, { group: { key: 'a', index: 3, items: [] } })).toEqual({ id: 'task-a', n: 3 });
  });

  it('renders finding-packet contexts too', () => {
    expect(renderTemplate('{{packet.source}}/{{finding.severity}}', { packet: { source: 'lint' }, finding: { severity: 'error' } })).toBe('lint/error');
  });
});
