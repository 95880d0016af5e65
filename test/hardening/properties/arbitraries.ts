/**
 * fast-check generators for hostile configuration: JSON-like values whose keys include prototype
 * names and schema keys, strings with control characters, lone surrogates and non-BMP characters,
 * random nesting; CEL and JMESPath expressions assembled from their token vocabularies (so many of
 * them parse and reach the evaluators) mixed with arbitrary strings.
 */
import fc from 'fast-check';

export const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty'] as const;

/** Strings with unicode, control characters and YAML-significant punctuation. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ unit: fc.constantFrom('\u0000', '\u0007', '\t', '\r', '\n', '\u2028', '\ufeff', '\ud800', '"', "'", ':', '#', '&', '*', '!', '|', '>', '{', '}', '[', ']', '-', '?', '%', '@', '`', '\\', 'a', '1', ' ', '😀'), maxLength: 16 }),
  fc.constantFrom(...PROTO_KEYS),
);

/** A key: schema-looking words, prototype names, or anything. */
export function keyOf(words: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...words) }, { weight: 1, arbitrary: fc.constantFrom(...PROTO_KEYS) }, { weight: 1, arbitrary: hostileString });
}

/** JSON-like values up to `depth` levels, with objects built by `Object.fromEntries` (own `__proto__` keys). */
export function hostileValue(keys: fc.Arbitrary<string>, depth = 5): fc.Arbitrary<unknown> {
  const { value } = fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', maxDepth: depth },
      fc.constant(null),
      fc.boolean(),
      fc.integer(),
      fc.double(),
      fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map((b) => Number(b)),
      hostileString,
      fc.array(tie('value'), { maxLength: 4 }),
      fc.array(fc.tuple(keys, tie('value')), { maxLength: 4 }).map((entries) => Object.fromEntries(entries)),
    ),
  }));
  return value;
}

const CEL_TOKENS = [
  'object', 'oldObject', 'request', 'params', 'namespaceObject', 'variables', 'authorizer', 'metadata', 'spec', 'name', 'labels',
  'containers', 'image', 'x', 'c', '.', '.', '[', ']', '(', ')', '{', '}', ',', ':', '?', '!', '-', '+', '*', '/', '%', '==', '!=',
  '<', '<=', '>', '>=', '&&', '||', 'in', 'has(', 'size(', 'int(', 'uint(', 'double(', 'string(', 'bytes(', 'dyn(', 'type(',
  'duration(', 'timestamp(', 'matches(', 'startsWith(', 'endsWith(', 'contains(', 'split(', 'lowerAscii(', 'quantity(',
  'isQuantity(', 'url(', 'ip(', 'cidr(', 'format(', 'all(', 'exists(', 'exists_one(', 'map(', 'filter(', 'optional.of(',
  '.orValue(', '?.', '0', '1', '-1', '9223372036854775807', '18446744073709551615u', '1.5', '1e308', "'a'", '"b"', "b'\\xff'",
  "r'\\d+'", "'1Gi'", "'500m'", "'[a-z'", "'(a+)+$'", 'true', 'false', 'null', '[]', '{}', '[1, 2]', "{'k': 1}",
] as const;

/** A CEL expression: mostly token soup that sometimes parses, sometimes a well-formed template, sometimes anything. */
export const celExpression: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.array(fc.constantFrom(...CEL_TOKENS), { minLength: 1, maxLength: 12 }).map((t) => t.join(' ')) },
  { weight: 2, arbitrary: fc.array(fc.constantFrom(...CEL_TOKENS), { minLength: 1, maxLength: 12 }).map((t) => t.join('')) },
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.constantFrom('object.metadata.name', 'object.spec.containers', 'object.metadata.labels', 'request.namespace', 'object.spec', 'object', 'params'), fc.constantFrom(...CEL_TOKENS), fc.constantFrom(...CEL_TOKENS))
      .map(([a, b, c]) => `${a}${b}${c}`),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
);

const JP_TOKENS = [
  'foo', 'bar', 'metadata', 'spec', 'name', 'labels', '`1`', '`"x"`', '`null`', '`[1,2]`', '`{"a":1}`', "'raw'", '@', '$', '$x', '.',
  '[', ']', '[*]', '[]', '[0]', '[-1]', '[1:2]', '[::-1]', '[?', '{', '}', 'a:', ',', '|', '||', '&&', '!', '==', '!=', '<', '>=',
  '+', '-', '*', '/', '%', '//', '(', ')', '&', 'length(', 'keys(', 'values(', 'sort(', 'sort_by(', 'max_by(', 'to_number(',
  'to_string(', 'contains(', 'starts_with(', 'join(', 'split(', 'replace(', 'regex_match(', 'pattern_match(', 'base64_decode(',
  'parse_json(', 'parse_yaml(', 'time_add(', 'time_parse(', 'semver_compare(', 'add(', 'divide(', 'let $v = `1` in', '"quoted"',
  '"\\u00e9"', '`1e400`', '`-0`', '`"\\ud800"`',
] as const;

/** A JMESPath expression assembled from tokens, a templated path, or anything. */
export const jmesPathExpression: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.array(fc.constantFrom(...JP_TOKENS), { minLength: 1, maxLength: 10 }).map((t) => t.join('')) },
  { weight: 2, arbitrary: fc.array(fc.constantFrom(...JP_TOKENS), { minLength: 1, maxLength: 10 }).map((t) => t.join(' ')) },
  { weight: 3, arbitrary: fc.tuple(fc.constantFrom('foo', 'metadata.name', 'spec.containers[*].image', 'keys(@)', 'length(@)', '@'), fc.constantFrom(...JP_TOKENS)).map(([a, b]) => `${a}${b}`) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
);
