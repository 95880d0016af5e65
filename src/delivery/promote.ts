/**
 * Promotion and rollback: production only ever receives a release that was verified in staging,
 * approved by people, signed, and then locked.
 *
 * Writes: the target is rendered with the new pins, checked and signed in a scratch copy, then
 * dist/<to>, the lock and the lock's signature are made visible together by one journaled
 * transaction (journal.ts). A crash at any point leaves the previous release and lock or the new
 * ones; the next lockstep command finishes or discards the interrupted transaction.
 */
import { createHash, type KeyObject } from 'node:crypto';
import { cp, mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { runCheck } from '../check/run.ts';
import { loadEnvironment } from '../config/load.ts';
import { defaultGates } from '../gates/index.ts';
import { buildExamplePlatform } from '../platform/index.ts';
import { parseRelease, type Release } from '../release/release.ts';
import { signRelease } from '../release/sign.ts';
import { resolveTrustedKeys } from '../release/trusted-keys.ts';
import { signatureFormProblems } from '../release/signature-form.ts';
import { verifyRelease } from '../release/verify.ts';
import { parseImageRef } from '../supply-chain/images/reference.ts';
import { signBlob, verifyBlob } from '../supply-chain/signing/index.ts';
import { readStoredSbom } from '../supply-chain/sbom/store.ts';
import { synthesize } from '../synth/synth.ts';
import { LockstepError, type Problem } from '../util/errors.ts';
import { collectApprovals } from './approvals.ts';
import { Transaction } from './journal.ts';
import { readLock, serializeLock, type Approval, type EnvironmentLock, type LockedRelease } from './lock.ts';
import { skewViolations } from './skew.ts';

export const LOCK_BUNDLE_SUFFIX = '.lock.sigstore.json';
const PLACEHOLDER = '0'.repeat(64);

export interface SigningContext {
  /** Signs the target's release and its lock. */
  readonly key: KeyObject;
  /** Public keys (files) that verify releases and locks; default: the environment's trusted keys. */
  readonly verifyKeyFiles?: readonly string[];
  readonly sourceCommit: string;
  readonly compilerVersion: string;
  readonly builderId: string;
}

export interface PromoteOptions extends SigningContext {
  readonly root: string;
  readonly from: string;
  readonly to: string;
  readonly approvers: readonly string[];
  readonly ciApprovers?: readonly string[];
  /** RFC 3339 time of the promotion (the entry point reads the clock). */
  readonly now: string;
  readonly breakGlass?: { readonly reason: string };
  readonly progress?: (line: string) => void;
}

export interface PromoteResult {
  readonly lock: EnvironmentLock;
  readonly release: Release;
  readonly warnings: readonly string[];
}

const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');

async function readReleaseOf(root: string, env: string): Promise<{ release: Release; digest: string }> {
  const file = `dist/${env}/release.json`;
  let bytes: Buffer;
  try {
    bytes = await readFile(join(root, file));
  } catch {
    throw new LockstepError({ file, message: `${env} has no release to promote`, fix: `run lockstep synth, lockstep check and lockstep sign --env ${env} first`, code: 'promote/no-release' });
  }
  return { release: parseRelease(bytes.toString('utf8'), file), digest: sha256(bytes) };
}

/** Verifies `env`'s signed release (signature, manifests, inputs, SBOMs) or throws every reason. */
async function requireVerified(root: string, env: string, keyFiles: readonly string[] | undefined, what: string): Promise<void> {
  const result = await verifyRelease({ root, env, ...(keyFiles?.length ? { keyFlags: keyFiles } : {}) });
  if (!result.ok) {
    throw new LockstepError(result.problems.map((p) => ({ ...p, message: `${what}: ${p.message}` })));
  }
}

function requireApprovals(env: string, required: number, approvals: readonly Approval[], breakGlass: boolean): string[] {
  const warnings: string[] = [];
  if (approvals.length >= required) return warnings;
  const have = approvals.length ? `${approvals.length} (${approvals.map((a) => a.identity).join(', ')})` : 'none';
  if (breakGlass && approvals.length >= 1) {
    warnings.push(`BREAK-GLASS: ${env} needs ${required} distinct approvers, promoted with ${have}`);
    return warnings;
  }
  throw new LockstepError({
    file: `environments/${env}.yaml`,
    pointer: '/approvals/required',
    message: `${env} needs ${required} distinct approvers, got ${have}`,
    fix: `add --approver <id> for ${required - approvals.length} more person(s); the same person counts once`,
    code: 'promote/approvals',
  });
}

/** What rendering, checking and signing an environment read from the repository. */
const RENDER_INPUTS = ['environments', 'policies', 'sboms'];

/**
 * A copy of the repository's inputs for rendering `env` off to the side, with the current
 * `dist/<env>` (so synth carries the later stages' files over exactly as it does in place). Copies,
 * not links: inputs must resolve inside the root they are read from. Paths inside the scratch root
 * are the repository's, so reports and release.json come out byte-identical to an in-place run.
 */
async function scratchRoot(root: string, dir: string, env: string): Promise<string> {
  await mkdir(join(dir, 'dist'), { recursive: true });
  for (const input of RENDER_INPUTS) {
    if (await isDirectory(join(root, input))) await cp(join(root, input), join(dir, input), { recursive: true, verbatimSymlinks: true });
  }
  if (await isDirectory(join(root, 'dist', env))) await cp(join(root, 'dist', env), join(dir, 'dist', env), { recursive: true, verbatimSymlinks: true });
  return dir;
}

const isDirectory = (path: string) => stat(path).then((s) => s.isDirectory(), () => false);

/**
 * Renders, checks and signs `env` with `lock`'s pins, then writes the final lock and its signature.
 * Everything is built in a transaction's scratch space and made visible in one journaled step
 * (journal.ts): a crash leaves the previous release and lock, or the new ones, never a mix.
 */
async function releaseLocked(root: string, env: string, draft: EnvironmentLock, ctx: SigningContext, progress: (l: string) => void): Promise<{ lock: EnvironmentLock; release: Release }> {
  const tx = await Transaction.begin(root);
  try {
    const scratch = await scratchRoot(root, join(tx.workDir, 'root'), env);
    progress(`render ${env} with the locked pins`);
    await synthesize({ root: scratch, environments: [env], define: buildExamplePlatform, gates: defaultGates(), locks: { [env]: draft }, progress });
    progress(`check ${env}`);
    const checked = await runCheck({ root: scratch, environments: [env], format: 'text' });
    if (checked.exitCode !== 0) {
      throw new LockstepError({ message: `${env} fails its admission policies with the promoted pins:\n${checked.stdout.trim()}`, fix: 'fix the policy failures in staging first', code: 'promote/check' });
    }
    progress(`sign ${env}`);
    const signed = await signRelease({ root: scratch, env, key: ctx.key, sourceCommit: ctx.sourceCommit, compilerVersion: ctx.compilerVersion, builderId: ctx.builderId });
    const lock: EnvironmentLock = {
      ...draft,
      current: {
        ...draft.current,
        id: signed.release.id,
        releaseDigest: signed.releaseSha256,
        manifestsDigest: signed.release.manifests.digest.replace(/^sha256:/, ''),
      },
    };
    const text = serializeLock(lock);
    tx.replaceDirectory(`dist/${env}`, join(scratch, 'dist', env));
    await tx.writeFile(`environments/${env}.lock.yaml`, text);
    await tx.writeFile(`environments/${env}${LOCK_BUNDLE_SUFFIX}`, `${JSON.stringify(signBlob(Buffer.from(text), ctx.key).bundle)}\n`);
    progress(`write dist/${env}, environments/${env}.lock.yaml and its signature`);
    await tx.commit();
    return { lock, release: signed.release };
  } finally {
    await tx.abort();
  }
}

/**
 * `lockstep promote --from staging --to production`: verifies the source release, takes its pins
 * (never re-resolves, never rebuilds), enforces the skew contract and the approvals, re-renders the
 * target with those pins, signs it and locks it.
 */
export async function promote(o: PromoteOptions): Promise<PromoteResult> {
  const progress = o.progress ?? (() => {});
  const fromEnv = await loadEnvironment(o.root, o.from);
  const toEnv = await loadEnvironment(o.root, o.to);
  const warnings: string[] = [];
  if (toEnv.config.promotion?.from !== o.from) {
    throw new LockstepError({
      file: toEnv.file,
      pointer: '/promotion/from',
      message: `${o.to} is promoted from ${JSON.stringify(toEnv.config.promotion?.from ?? null)}, not ${o.from}`,
      fix: `set promotion.from: ${o.from} in ${toEnv.file}, or promote from ${toEnv.config.promotion?.from ?? '…'}`,
      code: 'promote/source',
    });
  }
  if (o.breakGlass && o.breakGlass.reason.trim().length < 10) {
    throw new LockstepError({ message: 'a break-glass promotion needs --reason with at least 10 characters', fix: 'say why the gates are bypassed: --reason "…"', code: 'promote/break-glass' });
  }

  progress(`verify the ${o.from} release`);
  await requireVerified(o.root, o.from, o.verifyKeyFiles, `${o.from} release does not verify`);
  const source = await readReleaseOf(o.root, o.from);

  const skew = skewViolations(fromEnv.config, toEnv.config, toEnv.config.promotion?.skew ?? []);
  if (skew.length && !o.breakGlass) {
    throw new LockstepError(
      skew.map((d) => ({
        file: toEnv.file,
        pointer: d.pointer,
        message: `differs from ${o.from} (${JSON.stringify(d.from)} → ${JSON.stringify(d.to)}), and ${d.pointer.split('/')[1]} is not in promotion.skew`,
        fix: `make it equal to ${o.from}, or add "${d.pointer.split('/')[1]}" to promotion.skew if ${o.to} may differ there`,
        code: 'promote/skew',
      })),
    );
  }
  for (const d of skew) warnings.push(`BREAK-GLASS: ${d.pointer} differs from ${o.from}`);

  const approvals = collectApprovals(o.approvers, o.ciApprovers ?? [], o.now);
  warnings.push(...requireApprovals(o.to, toEnv.config.approvals.required, approvals, Boolean(o.breakGlass)));

  // Pins: exactly what the verified source release runs.
  const released = new Map(source.release.images.map((i) => [i.image, i]));
  const images: Record<string, string> = {};
  const sboms: Record<string, string> = {};
  const problems: Problem[] = [];
  for (const key of Object.keys(toEnv.config.images).sort()) {
    const pinned = fromEnv.images[key];
    const entry = pinned ? released.get(pinned) : undefined;
    if (!pinned || !parseImageRef(pinned, { allowLatest: true }).digest || !entry) {
      problems.push({ file: toEnv.file, pointer: `/images/${key}`, message: `image "${key}" is not part of the verified ${o.from} release ${source.release.id}`, fix: `release it in ${o.from} first`, code: 'promote/pins' });
      continue;
    }
    images[key] = pinned;
    if (entry.sbom) sboms[pinned] = entry.sbom.sha256;
  }
  if (problems.length) throw new LockstepError(problems);

  const previous = await readLock(o.root, o.to);
  const draft: EnvironmentLock = {
    apiVersion: 'lockstep.dev/v1alpha1',
    kind: 'EnvironmentLock',
    environment: o.to,
    current: {
      id: 'pending',
      releaseDigest: PLACEHOLDER,
      manifestsDigest: PLACEHOLDER,
      promotedFrom: { environment: o.from, releaseId: source.release.id, releaseDigest: source.digest, sourceCommit: source.release.source.commit },
      images,
      sboms,
      approvals,
      at: o.now,
      ...(o.breakGlass ? { breakGlass: { reason: o.breakGlass.reason.trim() } } : {}),
    },
    history: previous ? [previous.lock.current, ...previous.lock.history] : [],
  };
  const done = await releaseLocked(o.root, o.to, draft, o, progress);
  return { ...done, warnings };
}

export interface RollbackOptions extends SigningContext {
  readonly root: string;
  readonly env: string;
  /** Release id (or a unique prefix) from the lock history. */
  readonly to: string;
  readonly approvers: readonly string[];
  readonly ciApprovers?: readonly string[];
  readonly now: string;
  readonly progress?: (line: string) => void;
}

/**
 * `lockstep rollback --env production --to RELEASE`: re-pins an earlier release from the signed lock
 * history (refused if the lock no longer verifies or the release's SBOMs changed), re-renders,
 * signs and records it as the current release.
 */
export async function rollback(o: RollbackOptions): Promise<PromoteResult> {
  const progress = o.progress ?? (() => {});
  const env = await loadEnvironment(o.root, o.env);
  const locked = await readLock(o.root, o.env);
  if (!locked) throw new LockstepError({ file: `environments/${o.env}.lock.yaml`, message: `${o.env} has no lock, so there is nothing to roll back to`, fix: 'promote a release first', code: 'rollback/no-lock' });
  const lockProblems = await verifyLockSignature(o.root, o.env, o.verifyKeyFiles);
  if (lockProblems.length) throw new LockstepError(lockProblems);
  const matches = locked.lock.history.filter((r) => r.id === o.to || r.id.startsWith(o.to));
  if (matches.length !== 1) {
    throw new LockstepError({
      file: locked.file,
      pointer: '/history',
      message: matches.length ? `release ${JSON.stringify(o.to)} is ambiguous (${matches.map((m) => m.id).join(', ')})` : `no release ${JSON.stringify(o.to)} in the lock history`,
      fix: `use one of: ${locked.lock.history.map((r) => r.id).join(', ') || '(history is empty)'}`,
      code: 'rollback/unknown-release',
    });
  }
  const target = matches[0]!;
  // The release must still verify: every SBOM it recorded must be in the store, unchanged.
  const sbomProblems: Problem[] = [];
  for (const [image, digest] of Object.entries(target.sboms)) {
    const stored = await readStoredSbom(join(o.root, 'sboms'), image);
    if (!stored || stored.info.sha256 !== digest) {
      sbomProblems.push({ message: `release ${target.id} no longer verifies: the SBOM of ${image} ${stored ? `changed (locked ${digest.slice(0, 12)}…, store has ${stored.info.sha256.slice(0, 12)}…)` : 'is gone from sboms/'}`, fix: 'restore the SBOM file, or promote a new release instead', code: 'rollback/sbom' });
    }
  }
  if (sbomProblems.length) throw new LockstepError(sbomProblems);
  const approvals = collectApprovals(o.approvers, o.ciApprovers ?? [], o.now);
  requireApprovals(o.env, env.config.approvals.required, approvals, false);
  const draft: EnvironmentLock = {
    ...locked.lock,
    current: { ...target, id: 'pending', releaseDigest: PLACEHOLDER, manifestsDigest: PLACEHOLDER, approvals, at: o.now, rollbackOf: target.id },
    history: [locked.lock.current, ...locked.lock.history],
  };
  const done = await releaseLocked(o.root, o.env, draft, o, progress);
  return { ...done, warnings: [] };
}

/** Problems with the signature of `environments/<env>.lock.yaml` (empty when it verifies). */
export async function verifyLockSignature(root: string, env: string, keyFiles?: readonly string[]): Promise<Problem[]> {
  const file = `environments/${env}.lock.yaml`;
  const bundleFile = `environments/${env}${LOCK_BUNDLE_SUFFIX}`;
  const loaded = await loadEnvironment(root, env);
  const { keys, problems } = await resolveTrustedKeys({ root, config: loaded.config, envFile: loaded.file, ...(keyFiles?.length ? { keyFlags: keyFiles } : {}) });
  if (problems.length) return problems;
  let data: Buffer;
  let bundle: string;
  try {
    data = await readFile(join(root, file));
    bundle = await readFile(join(root, bundleFile), 'utf8');
  } catch (e) {
    return [{ file: (e as NodeJS.ErrnoException).path?.endsWith('.json') ? bundleFile : file, message: 'missing', fix: 'locks are written and signed by lockstep promote / rollback', code: 'lock/missing' }];
  }
  const failures: string[] = [];
  for (const k of keys) {
    try {
      verifyBlob({ data, publicKey: k.key, bundle: JSON.parse(bundle), insecureIgnoreTlog: true });
      return signatureFormProblems(bundle, bundleFile, k.key);
    } catch (e) {
      const code = e instanceof LockstepError ? e.problems[0]?.code : undefined;
      // A bundle that does not parse is the bundle's problem, whatever the key.
      if (code?.includes('malformed')) return [{ file: bundleFile, message: `is not a valid Sigstore bundle: ${(e as Error).message.split('\n')[0]}`, fix: 'restore it, or run the promotion again', code: 'lock/signature' }];
      failures.push(`${k.file}: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  return [{ file, message: `signature ${bundleFile} does not verify with any trusted key (${failures.join('; ') || 'no trusted keys'})`, fix: 'the lock was edited after signing, or signed with another key; run the promotion again', code: 'lock/signature' }];
}

/** Files named like the lock or its signature that lockstep never writes (a second lock is ambiguous). */
async function strayLockFiles(root: string, env: string): Promise<Problem[]> {
  const known = new Set([`${env}.lock.yaml`, `${env}${LOCK_BUNDLE_SUFFIX}`]);
  const names = await readdir(join(root, 'environments')).catch(() => [] as string[]);
  return names
    .filter((n) => n.startsWith(`${env}.lock`) && !known.has(n))
    .sort()
    .map((n) => ({ file: `environments/${n}`, message: `is not a file lockstep writes next to the lock of ${env} (only ${[...known].join(' and ')})`, fix: 'remove it; lockstep promote and rollback write the lock and its signature', code: 'lock/stray-file' }));
}

/**
 * The lock as a gate: the lock's signature verifies, and `dist/<env>` is exactly the release the
 * lock records (same release.json digest, same manifest set, same pins). `verifyRelease` checks the
 * release itself against its signature and the files.
 */
export async function verifyLock(root: string, env: string, keyFiles?: readonly string[]): Promise<{ problems: Problem[]; notes: string[] }> {
  const locked = await readLock(root, env);
  const problems = await strayLockFiles(root, env);
  if (!locked) {
    // A promoted environment's release is only trusted through its lock: a release without one
    // (the lock deleted, or a release copied in by hand) does not pass.
    const { config } = await loadEnvironment(root, env);
    if (config.promotion && (await stat(join(root, 'dist', env, 'release.json')).catch(() => undefined))) {
      problems.push({ file: `environments/${env}.lock.yaml`, message: `missing, but dist/${env} holds a release and ${env} is promoted from ${config.promotion.from}`, fix: `${env} is released only by lockstep promote, which writes the lock; restore it, or promote again`, code: 'lock/missing' });
    }
    return { problems, notes: [] };
  }
  problems.push(...(await verifyLockSignature(root, env, keyFiles)));
  const notes: string[] = [];
  const current: LockedRelease = locked.lock.current;
  if (current.breakGlass) notes.push(`BREAK-GLASS release ${current.id}: ${current.breakGlass.reason}`);
  try {
    const { release, digest } = await readReleaseOf(root, env);
    if (digest !== current.releaseDigest) {
      problems.push({ file: `dist/${env}/release.json`, message: `is not the locked release (lock ${current.releaseDigest.slice(0, 12)}…, file ${digest.slice(0, 12)}…)`, fix: `${env} changes only through lockstep promote; revert the hand edit`, code: 'lock/release' });
    }
    if (release.manifests.digest !== `sha256:${current.manifestsDigest}`) {
      problems.push({ file: `dist/${env}/release.json`, message: `manifest set ${release.manifests.digest} is not the locked ${current.manifestsDigest}`, fix: 'revert the change to the manifests', code: 'lock/manifests' });
    }
    const releasedImages = new Set(release.images.map((i) => i.image));
    for (const [key, image] of Object.entries(current.images)) {
      if (!releasedImages.has(image)) problems.push({ file: locked.file, pointer: `/current/images/${key}`, message: `locked image ${image} is not in the release`, code: 'lock/pins' });
    }
  } catch (e) {
    if (e instanceof LockstepError) problems.push(...e.problems);
    else throw e;
  }
  return { problems, notes };
}
