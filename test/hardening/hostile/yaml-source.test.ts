import { describe, expect, it } from 'vitest';
import { decodeConfigBytes, displayPointer, isStackOverflow, parseYamlSource } from '../../../src/util/yaml-source.ts';

describe('displayPointer', () => {
  it('writes control characters and line separators as \\uXXXX so an error stays on one line', () => {
    expect(displayPointer('/a\nb/c\td/\u2028/\u0000')).toBe('/a\\u000ab/c\\u0009d/\\u2028/\\u0000');
  });

  it('leaves ordinary pointers, unicode and emoji alone', () => {
    expect(displayPointer('/images/project-ai-core/é/😀')).toBe('/images/project-ai-core/é/😀');
  });
});

describe('decodeConfigBytes', () => {
  it('drops a byte-order mark', () => {
    expect(decodeConfigBytes(Buffer.from('\ufeffa: 1\n'), 'f.yaml')).toBe('a: 1\n');
  });

  it('fails when the bytes are not UTF-8', () => {
    expect(() => decodeConfigBytes(Buffer.from([0x61, 0xff, 0x0a]), 'f.yaml')).toThrow('f.yaml: file is not valid UTF-8; save it as UTF-8');
  });

  it('fails when the file is larger than 4 MiB', () => {
    expect(() => decodeConfigBytes(new Uint8Array(4 * 1024 * 1024 + 1), 'f.yaml')).toThrow('f.yaml: file is 4194305 bytes, larger than the 4194304-byte limit for configuration; split it or remove generated content');
  });
});

describe('parseYamlSource', () => {
  it('fails when flow collections nest deeper than the parser can recurse, without a RangeError', () => {
    const text = `a: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`;
    expect(() => parseYamlSource(text, 'f.yaml')).toThrow(/^f\.yaml:1:\d+: invalid YAML: nesting deeper than 64 levels; flatten the structure/);
  });

  it('writes a forbidden key under a key holding a newline on one line', () => {
    expect(() => parseYamlSource('"a\\nb":\n  __proto__: 1\n', 'f.yaml')).toThrow('f.yaml:2:14: /a\\u000ab/__proto__: key "__proto__" is not allowed; rename the key');
  });
});

describe('isStackOverflow', () => {
  it('recognises the message the yaml library reports for a stack overflow', () => {
    expect(isStackOverflow('Maximum call stack size exceeded')).toBe(true);
    expect(isStackOverflow('Map keys must be unique')).toBe(false);
  });
});
