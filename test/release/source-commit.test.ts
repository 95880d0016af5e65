import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveSourceCommit, sourceCommitFromEnv } from '../../src/release/source-commit.ts';

describe('source commit', () => {
  it('prefers the flag, then the CI variables', async () => {
    expect(await resolveSourceCommit({ root: '/', flag: 'f'.repeat(40), env: { GITHUB_SHA: 'a' }, progress: () => {} })).toBe('f'.repeat(40));
    expect(sourceCommitFromEnv({ GITHUB_SHA: 'abc' })).toBe('abc');
    expect(sourceCommitFromEnv({ CI_COMMIT_SHA: 'def' })).toBe('def');
    expect(sourceCommitFromEnv({})).toBeUndefined();
  });

  it('fails when the root is not a git work tree and nothing names a commit', async () => {
    const root = mkdtempSync(join(tmpdir(), 'lockstep-nogit-'));
    await expect(resolveSourceCommit({ root, env: { PATH: process.env.PATH, GIT_CEILING_DIRECTORIES: tmpdir() }, progress: () => {} })).rejects.toThrow(/cannot tell which commit the release is made from: .* is not a git work tree; pass --source-commit SHA/);
  });
});
