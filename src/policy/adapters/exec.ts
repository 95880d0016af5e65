/**
 * The only place that starts external Kyverno CLIs. zx quotes array arguments, and `nothrow`
 * lets each adapter interpret exit codes itself (kyverno-json exits 0 on failed rules).
 */
import { $, which } from 'zx';
import { LockstepError } from '../../util/errors.ts';

export interface ExecOptions {
  /** Working directory for the command; defaults to the caller's. */
  readonly cwd?: string;
}

export interface ExecOutput {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

/** Runs `binary args…` if it is on PATH; otherwise throws a LockstepError saying how to get it. */
export async function runOnPath(binary: string, args: readonly string[], installHint: string, options: ExecOptions = {}): Promise<ExecOutput> {
  const found = await which(binary, { nothrow: true });
  if (!found) {
    throw new LockstepError({
      message: `${binary} is not on PATH`,
      fix: `${installHint}, or use Lockstep's built-in evaluator`,
    });
  }
  const p = await $({ nothrow: true, quiet: true, ...(options.cwd ? { cwd: options.cwd } : {}) })`${found} ${args}`;
  return { stdout: p.stdout, stderr: p.stderr, exitCode: p.exitCode ?? 1 };
}
