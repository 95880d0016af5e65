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

/** Text safe inside a quoted literal, still with unicode and regex metacharacters. */
const literalText = fc.string({ unit: fc.constantFrom('a', 'Z', '0', '9', '-', '.', '*', '+', '(', ')', '[', '$', '^', '|', '?', ' ', 'é', '😀', 'Gi', 'm', ':'), maxLength: 10 });
const int = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom(0, 2147483647, -2147483648, 9007199254740991)).map(String);

/** Well-formed CEL whose evaluation can still fail (division by zero, bad regex, bad quantity, missing fields, overflow). */
const wellFormedCel: fc.Arbitrary<string> = fc.oneof(
  literalText.map((s) => `object.metadata.name == '${s}'`),
  int.map((n) => `size(object.spec.containers) > ${n}`),
  literalText.map((s) => `has(object.metadata.labels) && '${s}' in object.metadata.labels`),
  literalText.map((s) => `object.spec.containers.all(c, c.image.startsWith('${s}'))`),
  literalText.map((s) => `object.spec.containers.exists(c, c.name.matches('${s}'))`),
  literalText.map((s) => `'${s}'.matches('${s}')`),
  literalText.map((s) => `quantity('${s}').isGreaterThan(quantity('1Gi'))`),
  literalText.map((s) => `int('${s}') > 0`),
  fc.tuple(int, int).map(([a, b]) => `${a} / ${b} == ${a} % ${b}`),
  int.map((n) => `object.spec.replicas * ${n} < 10`),
  literalText.map((s) => `object.metadata.labels['${s}'] == 'x'`),
  literalText.map((s) => `'${s}'.split('.').size() > 1`),
  int.map((n) => `object.spec.containers[${n}].image != ''`),
  literalText.map((s) => `object.?metadata.?labels['${s}'].orValue('none') != 'none'`),
  literalText.map((s) => `duration('${s}') > duration('1s')`),
  literalText.map((s) => `timestamp('${s}') > timestamp('2020-01-01T00:00:00Z')`),
  literalText.map((s) => `object.spec.map(k, k + '${s}').size() >= 0`),
  literalText.map((s) => `variables.v == '${s}'`),
  fc.constantFrom('true', 'false', 'object.spec', 'null', "'x'", '1', 'object.spec.containers.map(c, c.image)', 'request.operation == "CREATE"', 'dyn(object.spec) == dyn(1)'),
);

/** A CEL expression: well-formed templates, token soup that sometimes parses, or anything. */
export const celExpression: fc.Arbitrary<string> = fc.oneof(
  { weight: 12, arbitrary: wellFormedCel },
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

const rawLiteral = literalText.map((s) => s.replace(/'/g, ''));

/** Well-formed JMESPath whose evaluation can still fail (types, division by zero, bad input to functions). */
const wellFormedJmesPath: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('foo', 'foo.bar', '@', 'keys(@)', 'length(@)', 'values(@)', 'metadata.name', 'spec.containers[*].image', 'spec.containers[0]', '[]', 'sort(keys(@))', 'sort_by(spec.containers, &name)', 'max_by(spec.containers, &name)', 'to_string(@)', 'not_null(foo, bar)', 'type(@)', 'foo || bar', '!foo', 'a && b'),
  int.map((n) => `length(@) > \`${n}\``),
  rawLiteral.map((s) => `metadata.labels.${JSON.stringify(s)}`),
  rawLiteral.map((s) => `spec.containers[?image == '${s}'].name`),
  rawLiteral.map((s) => `to_number('${s}')`),
  rawLiteral.map((s) => `split('${s}', '.')`),
  rawLiteral.map((s) => `regex_match('${s}', '${s}')`),
  rawLiteral.map((s) => `pattern_match('${s}', foo)`),
  fc.tuple(int, int).map(([a, b]) => `divide(\`${a}\`, \`${b}\`)`),
  fc.tuple(int, int).map(([a, b]) => `\`${a}\` % \`${b}\``),
  rawLiteral.map((s) => `parse_json('${s}')`),
  rawLiteral.map((s) => `parse_yaml('${s}')`),
  rawLiteral.map((s) => `base64_decode('${s}')`),
  rawLiteral.map((s) => `semver_compare('${s}', '>1.0.0')`),
  rawLiteral.map((s) => `time_parse('2006-01-02', '${s}')`),
  rawLiteral.map((s) => `add(foo, '${s}')`),
  rawLiteral.map((s) => `contains(foo, '${s}')`),
  rawLiteral.map((s) => `let $v = '${s}' in $v`),
);

/** A JMESPath expression: well-formed templates, token soup, or anything. */
export const jmesPathExpression: fc.Arbitrary<string> = fc.oneof(
  { weight: 12, arbitrary: wellFormedJmesPath },
  { weight: 4, arbitrary: fc.array(fc.constantFrom(...JP_TOKENS), { minLength: 1, maxLength: 10 }).map((t) => t.join('')) },
  { weight: 2, arbitrary: fc.array(fc.constantFrom(...JP_TOKENS), { minLength: 1, maxLength: 10 }).map((t) => t.join(' ')) },
  { weight: 3, arbitrary: fc.tuple(fc.constantFrom('foo', 'metadata.name', 'spec.containers[*].image', 'keys(@)', 'length(@)', '@'), fc.constantFrom(...JP_TOKENS)).map(([a, b]) => `${a}${b}`) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
);
