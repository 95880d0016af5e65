import { describe, expect, it } from 'vitest';
import { goJson, hasVariables, substituteAll, substituteString } from '../../../src/policy/legacy/variables.ts';

const ctx = { data: { request: { operation: 'CREATE', object: { metadata: { name: 'web', labels: { app: 'a' } } }, oldObject: { metadata: { name: 'old' } } } }, isDelete: false };

describe('variable substitution', () => {
  it('keeps the JSON type of a whole-string variable', () => {
    expect(substituteString('{{ request.object.metadata.labels }}', ctx, '/k')).toEqual({ app: 'a' });
    expect(substituteString('{{ request.object.missing }}', ctx, '/k')).toBeNull();
  });

  it('embeds strings and JSON-encodes other values inside text', () => {
    expect(substituteString('name={{ request.object.metadata.name }} labels={{ request.object.metadata.labels }}', ctx, '/k')).toBe('name=web labels={"app":"a"}');
  });

  it('reads request.object from oldObject on DELETE and unescapes \\{{', () => {
    expect(substituteString('{{ request.object.metadata.name }}', { ...ctx, isDelete: true }, '/k')).toBe('old');
    expect(substituteString('\\{{ literal }}', ctx, '/k')).toBe('{{ literal }}');
  });

  it('substitutes keys and leaves of documents', () => {
    expect(substituteAll({ '{{ request.operation }}': ['{{ request.object.metadata.name }}'] }, ctx)).toEqual({ CREATE: ['web'] });
    expect(hasVariables({ a: ['x', '{{ y }}'] })).toBe(true);
    expect(hasVariables({ a: 'x' })).toBe(false);
  });

  it('encodes like Go json.Marshal', () => {
    expect(goJson({ b: '<', a: 1 })).toBe('{"a":1,"b":"\\u003c"}');
  });

  it('fails on $() references, {{@}} and unresolvable expressions', () => {
    expect(() => substituteString('$(./name)', ctx, '/p')).toThrow(/\/p: \$\(…\) references are not supported/);
    expect(() => substituteString('{{@}}', ctx, '/p')).toThrow(/\/p: the \{\{@\}\} variable is not supported/);
    expect(() => substituteString('{{ request.[ }}', ctx, '/p')).toThrow(/failed to resolve request\.\[ at path \/p/);
  });
});
