import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const REPO = join(import.meta.dirname, '../..');

describe('the bench worker', () => {
  it('fails when --approach is not a known approach', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx/esm', 'src/bench/worker.ts', '--approach', 'kustomize', '--agents', '1'], { cwd: REPO, encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/worker: --approach must be one of lockstep, floor, cdk8s-plus, got "kustomize"/);
  });

  it('prints its result as the last line of stdout', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx/esm', 'src/bench/worker.ts', '--approach', 'floor', '--agents', '2'], { cwd: REPO, encoding: 'utf8' });
    expect(r.status).toBe(0);
    const result = JSON.parse(r.stdout.trim().split('\n').pop()!);
    expect(result).toMatchObject({ approach: 'floor', agents: 2, kinds: { Deployment: 2, Namespace: 1 } });
  });
});
