/**
 * Signing a release with the real cosign CLI (`lockstep sign --cosign`), for CI where cosign signs
 * keyless with the workflow's OIDC identity (Fulcio certificate, Rekor entry), or with a key or KMS
 * URI cosign understands and Lockstep does not.
 *
 * Only `runCosign` runs anything; the argument builders are pure and tested as such.
 *
 * - Keyless: `cosign sign-blob --yes --bundle OUT FILE`: `--yes` accepts the upload prompt that
 *   a non-interactive run cannot answer; cosign v3 writes a Sigstore bundle v0.3.
 * - With a key: the locked key-only flow of the supply-chain reference (§0 item 4), offline and
 *   without Rekor: `--use-signing-config=false --tlog-upload=false` (v3 rejects the second alone).
 * - The attestation: `cosign attest-blob --statement` signs Lockstep's statement byte for byte
 *   (`--predicate` would rebuild a v0.1 statement with only the one blob as subject).
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { $ } from 'zx';
import { LockstepError } from '../util/errors.ts';

export interface CosignSignBlobArgs {
  readonly file: string;
  readonly bundle: string;
  /** Key file or KMS URI; keyless when undefined. */
  readonly key?: string;
}

export interface CosignAttestBlobArgs {
  readonly statement: string;
  readonly bundle: string;
  readonly key?: string;
}

function keyFlags(key: string | undefined): string[] {
  return key === undefined ? [] : ['--key', key, '--use-signing-config=false', '--tlog-upload=false'];
}

export function cosignSignBlobArgs(input: CosignSignBlobArgs): string[] {
  return ['sign-blob', '--yes', ...keyFlags(input.key), '--bundle', input.bundle, input.file];
}

export function cosignAttestBlobArgs(input: CosignAttestBlobArgs): string[] {
  return ['attest-blob', '--yes', ...keyFlags(input.key), '--type', 'slsaprovenance1', '--statement', input.statement, '--bundle', input.bundle];
}

/** Absolute path of `name` on `pathEnv` (the PATH value, passed in), or undefined. */
export function findOnPath(name: string, pathEnv: string | undefined, isExecutable: (p: string) => boolean = isExecutableFile): string | undefined {
  for (const dir of (pathEnv ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The error for a tool that exited non-zero: the command (never the environment), its code, the end of its stderr. */
export function toolFailure(tool: string, args: readonly string[], exitCode: number | null, stderr: string): LockstepError {
  const tail = stderr.trim().split('\n').slice(-3).join(' ');
  return new LockstepError({
    message: `${tool} ${args.join(' ')} exited with code ${exitCode ?? 'unknown'}${tail ? `: ${tail}` : ''}`,
    fix: tool === 'cosign' ? 'check the identity or key cosign signs with (run the command by hand to see its prompts)' : `run the command by hand to see why ${tool} failed`,
    code: `release/${tool}-failed`,
  });
}

/**
 * Runs cosign with `args`. `env` is the environment to give it (PATH, COSIGN_PASSWORD, the CI's
 * OIDC variables), passed in by the entry point; it is never printed.
 */
export async function runCosign(cosignPath: string, args: readonly string[], env: Readonly<Record<string, string | undefined>>, cwd: string): Promise<void> {
  const childEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) childEnv[k] = v;
  const result = await $({ env: childEnv, cwd, quiet: true, nothrow: true })`${cosignPath} ${args}`;
  if (result.exitCode !== 0) throw toolFailure('cosign', args, result.exitCode, result.stderr);
}
