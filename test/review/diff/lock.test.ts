import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lockSummary, readLock } from '../../../src/review/diff/lock.ts';

describe('lockSummary', () => {
  it('reads the current release id and its break-glass reason', () => {
    expect(lockSummary('current:\n  id: r7\n  breakGlass:\n    reason: outage INC-42\nhistory: []\n')).toEqual({ releaseId: 'r7', breakGlassReason: 'outage INC-42' });
    expect(lockSummary('current:\n  id: r7\n')).toEqual({ releaseId: 'r7' });
  });

  it('tolerates a lock it cannot parse', () => {
    expect(lockSummary('current: [\n')).toEqual({});
  });
});

describe('readLock', () => {
  it('returns the file, its text and summary, or undefined when there is no lock', async () => {
    const root = await mkdtemp(join(tmpdir(), 'lockstep-lock-'));
    expect(await readLock(root, 'production')).toBeUndefined();
    await mkdir(join(root, 'environments'));
    await writeFile(join(root, 'environments/production.lock.yaml'), 'current:\n  id: r1\n');
    try {
      expect(await readLock(root, 'production')).toEqual({ file: 'environments/production.lock.yaml', text: 'current:\n  id: r1\n', releaseId: 'r1' });
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
