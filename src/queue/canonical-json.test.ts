import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.js';

describe('canonicalJson', () => {
  it('sorts keys at every depth, and a Date counts as its ISO string', () => {
    expect(canonicalJson({ b: [{ d: 1, c: 2 }], a: new Date('2026-12-02T10:00:00.000Z') })).toBe('{"a":"2026-12-02T10:00:00.000Z","b":[{"c":2,"d":1}]}');
  });

  it('keeps an own __proto__ key (an agent\'s JSON may carry one) as a key, so inputs differing only there are not twins', () => {
    const one = JSON.parse('{"__proto__": {"x": 1}}') as Record<string, unknown>;
    const two = JSON.parse('{"__proto__": {"x": 2}}') as Record<string, unknown>;
    expect(canonicalJson(one)).toBe('{"__proto__":{"x":1}}');
    expect(canonicalJson(one)).not.toBe(canonicalJson(two));
  });
});
