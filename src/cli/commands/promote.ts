import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadEnvironment } from '../../config/load.ts';
import { approversFromGithub, ciApprovers } from '../../delivery/approvals.ts';
import { promote, rollback, type PromoteResult, type SigningContext } from '../../delivery/promote.ts';
import { recoverWorkspace } from '../../delivery/journal.ts';
import { defaultBuilderId } from '../../release/provenance.ts';
import { resolveSigningKey } from '../../release/signing-key.ts';
import { resolveSourceCommit } from '../../release/source-commit.ts';
import { publicKeyPem } from '../../supply-chain/signing/keys.ts';
import { UsageError } from '../../util/errors.ts';
import { VERSION } from '../../version.ts';
import type { Command, CommandContext } from '../command.ts';

/** The signing key for the target, and the public keys that verify the source and the lock. */
async function signingContext(ctx: CommandContext, env: string, verifyKeys: string[] | undefined): Promise<SigningContext> {
  const loaded = await loadEnvironment(ctx.root, env);
  const keyPath = ctx.values.key as string | undefined;
  const key = await resolveSigningKey({ root: ctx.root, config: loaded.config, envFile: loaded.file, ...(keyPath !== undefined ? { keyPath } : {}), ...(ctx.env['COSIGN_PASSWORD'] !== undefined ? { password: ctx.env['COSIGN_PASSWORD'] } : {}), progress: ctx.progress });
  let keys = verifyKeys;
  if (!keys?.length && !loaded.config.signing.trustedKeys.length) {
    // No keys configured: the signing key's own public half is the trust anchor (single-key setups).
    const dir = await mkdtemp(join(tmpdir(), 'lockstep-promote-'));
    const pub = join(dir, 'signing-key.pub');
    await writeFile(pub, publicKeyPem(key.key));
    keys = [pub];
  }
  const sourceCommit = await resolveSourceCommit({ root: ctx.root, ...(ctx.values['source-commit'] ? { flag: ctx.values['source-commit'] as string } : {}), env: ctx.env, progress: ctx.progress });
  return { key: key.key, ...(keys?.length ? { verifyKeyFiles: keys } : {}), sourceCommit, compilerVersion: VERSION, builderId: defaultBuilderId(ctx.env) };
}

function print(ctx: CommandContext, verb: string, r: PromoteResult): void {
  for (const w of r.warnings) ctx.stderr(`warning: ${w}\n`);
  const c = r.lock.current;
  if (ctx.json) {
    ctx.stdout(`${JSON.stringify({ environment: r.lock.environment, release: c.id, releaseDigest: c.releaseDigest, promotedFrom: c.promotedFrom, approvals: c.approvals, breakGlass: c.breakGlass ?? null, rollbackOf: c.rollbackOf ?? null, previous: r.lock.history[0]?.id ?? null, warnings: r.warnings }, null, 2)}\n`);
    return;
  }
  ctx.stdout(
    `${verb} ${r.lock.environment}: release ${c.id}\n` +
      `  from      ${c.promotedFrom.environment} release ${c.promotedFrom.releaseId} (sha256 ${c.promotedFrom.releaseDigest.slice(0, 12)}…)\n` +
      `  pins      ${Object.keys(c.images).length} images, ${Object.keys(c.sboms).length} SBOMs\n` +
      `  approvals ${c.approvals.map((a) => `${a.identity} (${a.source})`).join(', ')}\n` +
      (c.breakGlass ? `  BREAK-GLASS: ${c.breakGlass.reason}\n` : '') +
      (c.rollbackOf ? `  rollback of ${c.rollbackOf}\n` : '') +
      `  previous  ${r.lock.history[0]?.id ?? '(none)'}\n` +
      `  wrote     environments/${r.lock.environment}.lock.yaml (+ .lock.sigstore.json), dist/${r.lock.environment}/\n`,
  );
}

const common = {
  approver: { type: 'string', multiple: true, valueName: 'ID', description: 'Approver identity (repeatable; also read from LOCKSTEP_APPROVERS in CI)' },
  key: { type: 'string', valueName: 'KEY', description: 'Key that signs the release and the lock (cosign.key with COSIGN_PASSWORD, or PKCS#8 PEM)' },
  'verify-key': { type: 'string', multiple: true, valueName: 'PUB', description: 'Public key(s) that verify the source release and the lock (default: the trusted keys, else the public half of --key)' },
  'source-commit': { type: 'string', valueName: 'SHA', description: 'Commit recorded in the release (default: CI variable or git HEAD)' },
  approvals: { type: 'string', valueName: 'FILE', description: 'GitHub run approvals API response (JSON); approved reviewers of the target environment count as approvers' },
} as const;

async function approvalsFromFile(ctx: CommandContext, env: string): Promise<string[]> {
  const file = ctx.values.approvals as string | undefined;
  if (!file) return [];
  const text = await readFile(resolve(ctx.root, file), 'utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${file} is not JSON: ${(e as Error).message}`);
  }
  return approversFromGithub(json, env, file);
}

export const promoteCommand: Command = {
  name: 'promote',
  summary: 'Promote a verified release by digest, with recorded approvals, then sign and lock the target',
  usage: '--from ENV --to ENV --approver ID... [--key KEY] [--break-glass --reason TEXT]',
  description:
    'Verifies the source release (signature, manifests, inputs, SBOMs), takes its image and SBOM pins\n' +
    '(never re-resolves, never rebuilds), refuses any difference between the environment files outside\n' +
    'the target\'s promotion.skew, requires the target\'s number of distinct approvers, re-renders and\n' +
    'checks the target with the pins, signs it, and writes environments/<to>.lock.yaml and its signature.\n' +
    '--break-glass --reason lets a promotion through with fewer approvers or a skew difference; it is\n' +
    'recorded in the lock and flagged by verify, check, diff and reports.',
  examples: ['lockstep promote --from staging --to production --approver alice --approver bob --key release.key'],
  options: {
    from: { type: 'string', valueName: 'ENV', description: 'Source environment (its promotion source, e.g. staging)' },
    to: { type: 'string', valueName: 'ENV', description: 'Target environment (e.g. production)' },
    ...common,
    'break-glass': { type: 'boolean', description: 'Bypass the approval count and skew contract (needs --reason)' },
    reason: { type: 'string', valueName: 'TEXT', description: 'Why the gates are bypassed (with --break-glass)' },
  },
  async run(ctx) {
    const from = ctx.values.from as string | undefined;
    const to = ctx.values.to as string | undefined;
    if (!from || !to) throw new UsageError('lockstep promote needs --from ENV and --to ENV', 'e.g. lockstep promote --from staging --to production --approver alice --approver bob');
    if (ctx.values['break-glass'] && !ctx.values.reason) throw new UsageError('--break-glass needs --reason "…"');
    if (ctx.values.reason && !ctx.values['break-glass']) throw new UsageError('--reason goes with --break-glass');
    for (const r of await recoverWorkspace(ctx.root, [from, to])) ctx.progress(`recovered: interrupted transaction ${r.id} ${r.action}`);
    const signing = await signingContext(ctx, to, ctx.values['verify-key'] as string[] | undefined);
    const result = await promote({
      root: ctx.root,
      from,
      to,
      approvers: (ctx.values.approver as string[] | undefined) ?? [],
      ciApprovers: [...ciApprovers(ctx.env), ...(await approvalsFromFile(ctx, to))],
      now: new Date().toISOString(),
      ...(ctx.values['break-glass'] ? { breakGlass: { reason: ctx.values.reason as string } } : {}),
      progress: ctx.progress,
      ...signing,
    });
    print(ctx, 'promoted', result);
    return 0;
  },
};

export const rollbackCommand: Command = {
  name: 'rollback',
  summary: 'Re-pin an earlier signed release from the lock history, re-render, sign and record it',
  usage: '--env ENV --to RELEASE --approver ID... [--key KEY]',
  description:
    'Refused when the lock no longer verifies or the release\'s SBOMs changed in the store. Needs the\n' +
    'environment\'s number of distinct approvers, like a promotion.',
  examples: ['lockstep rollback --env production --to production-1a2b3c4d5e6f --approver alice --approver bob --key release.key'],
  options: {
    env: { type: 'string', valueName: 'ENV', description: 'Locked environment (e.g. production)' },
    to: { type: 'string', valueName: 'RELEASE', description: 'Release id (or unique prefix) from the lock history' },
    ...common,
  },
  async run(ctx) {
    const env = ctx.values.env as string | undefined;
    const to = ctx.values.to as string | undefined;
    if (!env || !to) throw new UsageError('lockstep rollback needs --env ENV and --to RELEASE');
    for (const r of await recoverWorkspace(ctx.root, [env])) ctx.progress(`recovered: interrupted transaction ${r.id} ${r.action}`);
    const signing = await signingContext(ctx, env, ctx.values['verify-key'] as string[] | undefined);
    const result = await rollback({ root: ctx.root, env, to, approvers: (ctx.values.approver as string[] | undefined) ?? [], ciApprovers: [...ciApprovers(ctx.env), ...(await approvalsFromFile(ctx, env))], now: new Date().toISOString(), progress: ctx.progress, ...signing });
    print(ctx, 'rolled back', result);
    return 0;
  },
};
