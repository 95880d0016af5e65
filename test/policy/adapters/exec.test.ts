import { describe, expect, it } from 'vitest';
import { runOnPath } from '../../../src/policy/adapters/exec.ts';

describe('runOnPath', () => {
  it('fails when the binary is not on PATH, saying how to get it', async () => {
    await expect(runOnPath('lockstep-no-such-binary-4711', ['--version'], 'install it from the moon')).rejects.toThrow(
      /lockstep-no-such-binary-4711 is not on PATH; install it from the moon, or use Lockstep's built-in evaluator/,
    );
  });

  it('runs a binary found on PATH with array arguments and reports its exit code', async () => {
    // `node` is always on PATH where Lockstep runs; this checks quoting of awkward arguments.
    const out = await runOnPath('node', ['-e', 'console.log(process.argv[1]); process.exit(3)', 'a b;$c'], 'install node');
    expect(out).toEqual({ stdout: 'a b;$c\n', stderr: '', exitCode: 3 });
  });
});
