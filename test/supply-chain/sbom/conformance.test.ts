import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { conformanceSboms } from '../../../src/supply-chain/sbom/conformance.ts';

// The suite itself replays the shared fixtures (`npm run conformance`); unit tests must not read
// them, so this only checks that missing fixtures are reported as failures, never as passes.
describe('conformanceSboms', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'lockstep-fixtures-'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('fails every check whose fixture is missing', async () => {
    const result = await conformanceSboms(root);
    expect(result.suite).toBe('sboms');
    expect(result.passed).toBe(0);
    expect(result.failed).toBeGreaterThan(0);
    expect(result.failures).toContainEqual(expect.stringMatching(/^read alpine-spdx\.json: /));
    expect(result.failures).toContainEqual(expect.stringMatching(/^official SPDX 2\.3 schema compiles: /));
  });
});
