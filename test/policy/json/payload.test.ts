import { describe, expect, it } from 'vitest';
import { parsePayload } from '../../../src/policy/json/payload.ts';

describe('parsePayload', () => {
  it('parses .json files as JSON', () => {
    expect(parsePayload('{"a": [1]}', 'plan.json')).toEqual({ a: [1] });
  });

  it('returns the single YAML document as is', () => {
    expect(parsePayload('kind: Pod\n', 'pod.yaml')).toEqual({ kind: 'Pod' });
  });

  it('returns several YAML documents as an array, skipping empty ones', () => {
    expect(parsePayload('kind: A\n---\n---\nkind: B\n', 'all.yaml')).toEqual([{ kind: 'A' }, { kind: 'B' }]);
  });

  it('returns null for an empty file', () => {
    expect(parsePayload('', 'empty.yaml')).toBeNull();
  });

  it('fails on invalid JSON, naming the file', () => {
    expect(() => parsePayload('{', 'plan.json')).toThrow(/plan\.json: invalid JSON payload/);
  });

  it('fails on invalid YAML with a line', () => {
    expect(() => parsePayload('a: [\n', 'pod.yaml')).toThrow(/pod\.yaml:\d+:\d+: invalid YAML payload/);
  });
});
