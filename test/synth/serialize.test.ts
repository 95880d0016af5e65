import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toYaml, toYamlReference } from '../../src/synth/serialize.ts';

/** Strings that exercise js-yaml's quoting rules. */
const TRICKY = [
  '', ' ', 'yes', 'no', 'on', 'off', 'y', 'n', 'Y', 'N', 'Yes', 'NO', 'Off', 'true', 'False', 'null', 'Null', '~',
  '80', '080', '0x1F', '0o17', '1e3', '1_000', '.5', '-.inf', '.NaN', '1:20', '190:20:30', '2001-12-14', '2001-12-14t21:59:43.10-05:00',
  ' leading', 'trailing ', 'a: b', 'a:b', 'a #b', 'a#b', '#comment', '- item', '? key', ': value', '[x]', '{x}', 'a,b', '*alias', '&anchor', '!tag', '|', '>', "'", '"', '%', '@', '`',
  'multi\nline', 'multi\nline\n', 'trailing\n\n', '\nleading', '\n', '  indented\nline', 'tab\there', 'cr\rhere', 'nul\u0000', 'bell\u0007', 'del\u007f',
  'héllo', '日本語', '😀 emoji', '\u2028', '\u00a0nbsp', '\ufeffbom', 'back\\slash', 'quote"inside', "it's", '<<', '=', 'http://x.example/a?b=c#d',
];

const tricky = fc.oneof(fc.constantFrom(...TRICKY), fc.string(), fc.string({ unit: 'grapheme' }), fc.string({ unit: fc.constantFrom('a', ' ', ':', '#', '\n', '-', '1', '.', '"', "'", 'y') }));
const scalar = fc.oneof(tricky, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constantFrom(-0, 0, 1e21, 0.1, -1.5, Number.MAX_SAFE_INTEGER, NaN, Infinity, -Infinity));
const value = fc.letrec<{ node: unknown }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('node'), { maxLength: 4 }),
    fc.dictionary(tricky, tie('node'), { maxKeys: 5 }),
    fc.constant({}),
    fc.constant([]),
  ),
})).node;

describe('toYaml', () => {
  it('writes the bytes js-yaml writes for every tricky scalar, as a value, a key and a list item, at every depth', () => {
    for (const s of TRICKY) {
      for (const doc of [s, { k: s }, { [s]: 1 }, [s], { a: { b: [{ c: s, [s]: [s] }] } }, [[s, [s]]], { a: [[{ b: { c: s } }]] }]) {
        expect({ doc, yaml: toYaml(doc) }).toEqual({ doc, yaml: toYamlReference(doc) });
      }
    }
  });

  it('writes the bytes js-yaml writes for numbers, booleans, null, empty and undefined members', () => {
    const doc = { i: 80, neg: -3, zero: 0, negZero: -0, big: 1e21, tiny: 1e-7, frac: 0.1, nan: NaN, inf: Infinity, ninf: -Infinity, t: true, f: false, n: null, u: undefined, e: {}, a: [], arr: [undefined, null, {}, [], { u: undefined }], allUndefined: { u: undefined } };
    expect(toYaml(doc)).toBe(toYamlReference(doc));
  });

  it('falls back to js-yaml for what is not plain JSON data (dates, buffers, class instances, long keys, keys with line breaks)', () => {
    class Thing {
      x = 1;
    }
    for (const doc of [{ d: new Date(0) }, { b: new Uint8Array([1, 2]) }, { t: new Thing() }, { ['k'.repeat(1100)]: 1 }, { 'a\nb': 1 }, Object.create(null) as object]) {
      expect(toYaml(doc)).toBe(toYamlReference(doc));
    }
  });

  it('fails like js-yaml on values YAML cannot hold (functions)', () => {
    expect(() => toYamlReference({ f: () => 1 })).toThrow(/unacceptable kind of an object to dump \[object Function\]/);
    expect(() => toYaml({ f: () => 1 })).toThrow(/unacceptable kind of an object to dump \[object Function\]/);
  });

  it('writes the bytes js-yaml writes for random documents (fast-check)', () => {
    fc.assert(
      fc.property(value, (doc) => {
        expect(toYaml(doc)).toBe(toYamlReference(doc));
      }),
      { numRuns: 3000 },
    );
  });
});
