import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseEnvironment } from '../../../src/config/load.ts';
import { formatProblem, LockstepError } from '../../../src/util/errors.ts';
import { hostileString, hostileValue, keyOf } from './arbitraries.ts';

const FILE = 'environments/dev.yaml';
const BASE = readFileSync(join(import.meta.dirname, '../../fixtures/hostile/base/env/environments/dev.yaml'), 'utf8');
const BASE_OBJECT = parseEnvironment(BASE, FILE);
const SECTIONS = ['apiVersion', 'kind', 'name', 'stage', 'clusters', 'network', 'images', 'replicas', 'resources', 'endpoints', 'egress', 'policies', 'approvals', 'audit', 'supplyChain', 'signing', 'delivery', 'promotion'];
const WORDS = [...SECTIONS, 'server', 'apiServerCidrs', 'default', 'workloads', 'requests', 'limits', 'cpu', 'memory', 'trustedKeys', 'allowDevKey', 'imageSigners', 'publicKey', 'from', 'skew', 'defaultMode', 'modes', 'enabled', 'retentionDays', 'required', 'dev-1', 'project-ai-core'];

/** Result of the loader: a config, or a clean LockstepError whose problems are one line each. */
function load(input: string | Uint8Array): 'ok' | 'refused' {
  try {
    parseEnvironment(input, FILE);
    return 'ok';
  } catch (e) {
    if (!(e instanceof LockstepError)) throw e;
    for (const p of e.problems) {
      if (p.file !== FILE) throw new Error(`problem without the file: ${formatProblem(p)}`);
      if (formatProblem(p).includes('\n')) throw new Error(`problem spans lines: ${JSON.stringify(formatProblem(p))}`);
    }
    return 'refused';
  }
}

function toYaml(value: unknown): string {
  try {
    return stringify(value);
  } catch {
    return JSON.stringify(value) ?? 'null';
  }
}

/** The base environment with one section replaced by a hostile value (wrong types in every section). */
const sectionReplaced = fc.tuple(fc.constantFrom(...SECTIONS), hostileValue(keyOf(WORDS), 4)).map(([section, value]) => toYaml({ ...BASE_OBJECT, [section]: value }));
/** The base text with a hostile string spliced in at a random offset. */
const spliced = fc.tuple(fc.nat({ max: BASE.length }), hostileString, fc.nat({ max: 20 })).map(([at, s, cut]) => BASE.slice(0, at) + s + BASE.slice(at + cut));
const randomDocument = hostileValue(keyOf(WORDS), 6).map(toYaml);
const rawBytes = fc.uint8Array({ maxLength: 200 });

describe('the environment loader under random input', () => {
  it('returns a config or throws a LockstepError for 10,000 hostile documents', () => {
    const seen = { ok: 0, refused: 0 };
    fc.assert(
      fc.property(fc.oneof(sectionReplaced, spliced, randomDocument, rawBytes, hostileString), (input) => {
        seen[load(input)]++;
      }),
      { numRuns: 10_000 },
    );
    // Both outcomes happen: the generators reach past the first refusal.
    expect(seen.ok).toBeGreaterThan(50);
    expect(seen.refused).toBeGreaterThan(5_000);
  });

  it('treats CRLF text exactly like LF text', () => {
    fc.assert(
      fc.property(fc.oneof(sectionReplaced, spliced), (text) => {
        const lf = text.replace(/\r\n?/g, '\n');
        const outcome = (t: string) => {
          try {
            return JSON.stringify(parseEnvironment(t, FILE));
          } catch (e) {
            if (!(e instanceof LockstepError)) throw e;
            return e.message;
          }
        };
        expect(outcome(lf.replace(/\n/g, '\r\n'))).toBe(outcome(lf));
      }),
      { numRuns: 500 },
    );
  });
});
