import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { bundledPromptsDir } from './bundled-prompts-dir.js';
import { readSimpleFrontmatter } from './simple-frontmatter.js';
import { splitFrontmatter } from './split-frontmatter.js';

/** What the YAML path of `parseFrontmatter` makes of the text, or 'error'. */
function viaYaml(text: string): unknown {
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) return 'error';
  return doc.toJS({ maxAliasCount: 100 }) ?? {};
}

/** The reader either leaves the text to yaml or gives exactly what yaml gives. */
function expectSameAsYamlOrNothing(text: string): void {
  const simple = readSimpleFrontmatter(text);
  if (simple === undefined) return;
  expect(viaYaml(text), JSON.stringify(text)).toStrictEqual(simple);
}

// The documented forms, written the ways people write them.
const word = fc.stringMatching(/^[A-Za-z_/éЖ][A-Za-z0-9_./*@()é-]{0,8}$/).filter((w) => !['null', 'Null', 'NULL', 'True', 'TRUE', 'False', 'FALSE'].includes(w));
const phrase = fc.array(word, { minLength: 1, maxLength: 4 }).map((words) => words.join(' '));
/** Characters a quoted string may hold, YAML indicators included. */
const quotedText = fc.string({ unit: fc.constantFrom(...'abc XYZ#:,[]{}&*!|>?%@`~-é\'"'.split('')), maxLength: 12 });
const singleQuoted = quotedText.map((text) => ({ yaml: `'${text.replaceAll("'", "''")}'`, value: text }));
const doubleQuoted = quotedText.filter((text) => !text.includes('"')).map((text) => ({ yaml: `"${text}"`, value: text }));
const plain = phrase.map((text) => ({ yaml: text, value: text as unknown }));
const bool = fc.boolean().map((value) => ({ yaml: String(value), value: value as unknown }));
const scalar = fc.oneof(plain, plain, singleQuoted, doubleQuoted, bool);
/** Flow list items: no commas or brackets in them. */
const flowItem = fc.oneof(
  word.map((text) => ({ yaml: text, value: text })),
  singleQuoted.filter(({ value }) => !/[,\]]/.test(value)),
  doubleQuoted.filter(({ value }) => !/[,\]]/.test(value)),
);
const spaces = fc.constantFrom('', ' ', '  ');
const comment = fc.constantFrom('', '', ' # a comment', '  #: [x]');
const flowList = fc.tuple(fc.array(fc.tuple(spaces, flowItem, spaces), { maxLength: 4 }), comment).map(([items, tail]) => ({
  yaml: `[${items.map(([before, item, after]) => `${before}${item.yaml}${after}`).join(',')}]${tail}`,
  value: items.map(([, item]) => item.value) as unknown,
}));
const blockList = fc.tuple(fc.constantFrom('', '  ', '    '), fc.array(fc.tuple(scalar, comment), { minLength: 1, maxLength: 4 }), fc.constantFrom('', '\n', '\n# between\n')).map(([indent, items, gap]) => ({
  yaml: `${gap}${items.map(([item, tail]) => `${indent}- ${item.yaml}${tail}`).join('\n')}`,
  value: items.map(([item]) => item.value) as unknown,
}));
const key = fc.oneof(fc.constantFrom('type', 'label', 'skills', 'allowedTools', 'dependsOn', 'seed', 'writes', 'name', 'description'), fc.stringMatching(/^[a-z_][a-zA-Z0-9_-]{0,6}$/));
const entry = fc.oneof(
  fc.tuple(key, scalar, comment).map(([name, value, tail]) => ({ key: name, yaml: `${name}: ${value.yaml}${tail}`, value: value.value })),
  fc.tuple(key, flowList).map(([name, value]) => ({ key: name, yaml: `${name}: ${value.yaml}`, value: value.value })),
  fc.tuple(key, comment, blockList).map(([name, tail, value]) => ({ key: name, yaml: `${name}:${tail}\n${value.yaml}`, value: value.value })),
);
const documented = fc
  .uniqueArray(entry, { selector: (item) => item.key, maxLength: 6 })
  .chain((entries) => fc.tuple(fc.constant(entries), fc.array(fc.constantFrom('', '# comment', '  '), { minLength: entries.length + 1, maxLength: entries.length + 1 })))
  .map(([entries, fillers]) => ({
    text: entries.map((item, index) => `${fillers[index] === '' ? '' : `${fillers[index]}\n`}${item.yaml}`).join('\n') + (fillers.at(-1) === '' ? '' : `\n${fillers.at(-1)}`),
    value: Object.fromEntries(entries.map((item) => [item.key, item.value])),
  }));

describe('readSimpleFrontmatter', () => {
  it('reads the documented forms, and gives what yaml gives', () => {
    fc.assert(
      fc.property(documented, ({ text, value }) => {
        expect(readSimpleFrontmatter(text), JSON.stringify(text)).toStrictEqual(value);
        expect(viaYaml(text)).toStrictEqual(value);
      }),
      { numRuns: 2000 },
    );
  });

  it('reads every bundled prompt and skill without yaml', () => {
    const dir = bundledPromptsDir();
    const files = [...readdirSync(dir).map((name) => join(dir, name)), ...readdirSync(join(dir, 'skills')).map((name) => join(dir, 'skills', name))].filter((file) => file.endsWith('.md'));
    expect(files.length).toBeGreaterThan(8);
    for (const file of files) {
      const { yaml } = splitFrontmatter(readFileSync(file, 'utf8'), file);
      if (yaml === undefined) continue;
      const simple = readSimpleFrontmatter(yaml);
      expect(simple, file).toBeDefined();
      expect(viaYaml(yaml)).toStrictEqual(simple);
    }
  });

  it('leaves to yaml what it does not read (or gives the same value), on mutated documents', () => {
    const alphabet = [...'ab -:#\'"[]{},&*!|>?%@`~01.\\\t\né'];
    const mutated = fc.tuple(documented, fc.array(fc.tuple(fc.nat(), fc.nat(), fc.constantFrom(...alphabet), fc.boolean()), { minLength: 1, maxLength: 3 })).map(([{ text }, edits]) => {
      let out = text;
      for (const [at, length, char, insert] of edits) {
        const position = out.length === 0 ? 0 : at % (out.length + 1);
        out = insert ? out.slice(0, position) + char + out.slice(position) : out.slice(0, position) + out.slice(position + 1 + (length % 2));
      }
      return out;
    });
    fc.assert(fc.property(mutated, expectSameAsYamlOrNothing), { numRuns: 5000 });
  });

  it('leaves to yaml what it does not read (or gives the same value), on random YAML-ish text', () => {
    const unit = fc.constantFrom(...'ak: -#\'"[],{}&*!|>?%@~0.\\\t\n\n\n'.split(''), 'key: ', '\n- ', 'true', 'null', '  ');
    fc.assert(fc.property(fc.string({ unit, maxLength: 40 }), expectSameAsYamlOrNothing), { numRuns: 5000 });
  });

  it('leaves multi-line values, escapes, numbers, null, anchors, tags and duplicate keys to yaml', () => {
    for (const text of [
      'label: |\n  two\n  lines',
      'label: folded\n  on two lines',
      'label: "tab\\there"',
      'label: 12',
      'seed: yes\nseed: no',
      'label: ~',
      'label:',
      'label: &a x',
      'label: !!str x',
      'skills:\n  - a\n  -   \n',
      'skills: [a,\n  b]',
      'type: plan\ntype: other',
      '  label: indented',
      'label: a: b',
      'skills: [a: b]',
      'label:\ttab',
    ]) {
      expect(readSimpleFrontmatter(text), text).toBeUndefined();
    }
  });

  it('keeps Unicode spaces (no-break, ideographic, ...) as yaml does: only the ASCII space and tab are YAML whitespace', () => {
    // JavaScript's trim() also drops U+00A0, U+3000, U+2000-U+200A, ...; yaml keeps them in the scalar.
    for (const space of ['\u00A0', '\u2003', '\u3000', '\u202F']) {
      for (const text of [`label: a${space}`, `label: a${space} # c`, `seed: false${space}`, `skills: [${space}a]`, `skills: [a${space}, b]`, `skills: [${space}]`, `skills: ['a'${space}]`, `writes:\n- true${space}`]) {
        expectSameAsYamlOrNothing(text);
      }
    }
    const unit = fc.constantFrom('a', 'true', ' ', ' #', ',', '[', ']', "'", '\n- ', 'key: ', '\u00A0', '\u3000', '\u2009');
    fc.assert(fc.property(fc.string({ unit, maxLength: 16 }).map((text) => `key: ${text}`), expectSameAsYamlOrNothing), { numRuns: 3000 });
  });

  it('reads comments, quotes, flow and block lists as yaml does', () => {
    const text = "# heading comment\nlabel: 'It''s # not a comment' # but this is\nskills: [a, 'b c' ,d]\nwrites:\n- src/**\n- \"app/[id]/*.ts\"\n\nseed: true\nmodel: gpt-5#x\n";
    expect(readSimpleFrontmatter(text)).toStrictEqual({ label: "It's # not a comment", skills: ['a', 'b c', 'd'], writes: ['src/**', 'app/[id]/*.ts'], seed: true, model: 'gpt-5#x' });
    expect(viaYaml(text)).toStrictEqual(readSimpleFrontmatter(text));
    expect(readSimpleFrontmatter('')).toStrictEqual({});
  });
});
