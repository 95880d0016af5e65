import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCases, makeKeyFixtures, pool, removeScratch, runCase, type HostileCase, type Outcome } from './harness.ts';

const cases = await loadCases();
const outcomes = new Map<string, Outcome>();
let keysDir = "";
/** Per-case limit: hostile input must fail within seconds (generous for a loaded 2-core machine). */
const CASE_TIMEOUT_MS = 15_000;

beforeAll(async () => {
  keysDir = await mkdtemp(join(tmpdir(), 'hostile-keys-'));
  await makeKeyFixtures(keysDir);
  await pool(cases, 2, async (c) => outcomes.set(c.id, await runCase(c, keysDir, CASE_TIMEOUT_MS)));
}, 600_000);

afterAll(async () => {
  await Promise.all([...outcomes.values()].map((o) => removeScratch(o.root)));
  if (keysDir) await rm(keysDir, { recursive: true, force: true });
});

function errorLines(c: HostileCase, o: Outcome): string[] {
  const text = c.stream === 'stdout' ? o.stdout : o.stderr;
  return text.split('\n').filter((l) => l !== '');
}

describe('the hostile-input corpus', () => {
  it('has at least 60 cases with unique ids', () => {
    expect(cases.length).toBeGreaterThanOrEqual(60);
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
  });

  describe.each(cases.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    it(`fails cleanly: ${c.description}`, () => {
      const o = outcomes.get(c.id)!;
      const report = `stdout:\n${o.stdout}\nstderr:\n${o.stderr}`;
      expect(o.timedOut, `timed out\n${report}`).toBe(false);
      expect(o.code, report).toBe(c.exit);
      // One line per problem: every stderr line is an `error:` line (progress is off with --quiet).
      for (const line of o.stderr.split('\n').filter((l) => l !== '')) expect(line, report).toMatch(/^error: /);
      expect(errorLines(c, o).some((l) => new RegExp(c.error).test(l)), `no line matches /${c.error}/\n${report}`).toBe(true);
      expect(`${o.stdout}${o.stderr}`, report).not.toMatch(/^\s{4}at /m);
      expect(o.stderr, report).not.toMatch(/this is unexpected/);
    });

    it('writes nothing', () => {
      const o = outcomes.get(c.id)!;
      expect([...o.after.entries()]).toEqual([...o.before.entries()]);
    });
  });
});

describe('CRLF line endings', () => {
  it('render exactly what the LF environment renders', async () => {
    const lf: HostileCase = { id: 'lf', kind: 'encoding', description: 'LF', base: ['env', 'lock'], args: ['synth', '--env', 'dev'], exit: 0, error: '' };
    const crlf: HostileCase = { ...lf, id: 'crlf', generate: [{ file: 'environments/dev.yaml', kind: 'crlf' }, { file: 'environments/images.lock.yaml', kind: 'crlf' }] };
    const [a, b] = await Promise.all([runCase(lf, keysDir, 60_000), runCase(crlf, keysDir, 60_000)]);
    try {
      expect(a.code, a.stderr).toBe(0);
      expect(b.code, b.stderr).toBe(0);
      expect(b.before.get('environments/dev.yaml')).not.toBe(a.before.get('environments/dev.yaml'));
      const dist = (o: Outcome) => [...o.after.entries()].filter(([p]) => p.startsWith('dist'));
      expect(dist(a).length).toBeGreaterThan(100);
      expect(dist(b)).toEqual(dist(a));
      expect(b.stdout).toBe(a.stdout);
    } finally {
      await Promise.all([removeScratch(a.root), removeScratch(b.root)]);
    }
  });
});
