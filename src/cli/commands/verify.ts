import type { Command } from '../command.ts';
import { formatProblem, UsageError } from '../../util/errors.ts';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadEnvironment } from '../../config/load.ts';
import { verifyRelease } from '../../release/verify.ts';
import { verifyLock } from '../../delivery/promote.ts';
import { recoverWorkspace } from '../../delivery/journal.ts';

export const verifyCommand: Command = {
  name: 'verify',
  summary: 'Check that dist/<env> is exactly the signed release, signed by a trusted key',
  usage: '--env NAME [--key PUB]...',
  description:
    'Verifies dist/<env>/release.sigstore.json over release.json with the environment\'s trusted keys\n' +
    '(signing.trustedKeys, plus .lockstep/dev-key/cosign.pub for dev environments with\n' +
    'signing.allowDevKey), then every manifest digest, the inputs, objects.json, images.json,\n' +
    'sbom.cdx.json, the reports and preview policies (no file of dist/<env> missing, changed or extra;\n' +
    'reports/report.html is not part of a release), the image SBOMs in sboms/ and the\n' +
    '<prefix>/sbom-sha256 annotation of every workload, the DSSE attestation, the canonical form of\n' +
    'the signature files, and for a promoted environment its signed lock.\n' +
    'An interrupted sign, promote, rollback or synth is finished or discarded first (recovery).\n' +
    'Every problem is reported, one line each. --key replaces the trusted keys, as cosign --key does.\n' +
    'Keyless (certificate) releases are verified with cosign verify-blob instead.',
  examples: ['lockstep verify --env dev', 'lockstep verify --env production', 'lockstep verify --env staging --key keys/release.pub --json'],
  options: {
    env: { type: 'string', valueName: 'NAME', description: 'Environment whose release to verify (required)' },
    key: { type: 'string', multiple: true, valueName: 'PUB', description: 'Public key to verify with, instead of the environment\'s trusted keys (repeatable)' },
  },
  async run(ctx) {
    const env = ctx.values.env as string | undefined;
    if (!env) throw new UsageError('lockstep verify needs --env NAME', 'e.g. lockstep verify --env dev');
    // A crash (of sign, promote, rollback or synth) may have left a transaction or a directory swap
    // half done: finish or discard it first, so what is verified is a complete state.
    for (const r of await recoverWorkspace(ctx.root, [env])) ctx.progress(`recovered: interrupted transaction ${r.id} ${r.action}`);
    const keyFlags = ctx.values.key as string[] | undefined;
    if (keyFlags?.length) ctx.progress(`verifying with ${keyFlags.join(', ')} instead of the environment's trusted keys`);
    const loaded = await loadEnvironment(ctx.root, env);
    if (loaded.config.promotion && !loaded.environmentLock && !existsSync(join(ctx.root, 'dist', env, 'release.json'))) {
      // Nothing has been released to this environment yet: there is no release to protect, and the
      // drift check (build, then git diff dist/) guards its rendering until the first promotion.
      const note = `${env} has not been promoted yet (no environments/${env}.lock.yaml, no dist/${env}/release.json): nothing to verify`;
      if (ctx.json) ctx.stdout(`${JSON.stringify({ environment: env, ok: true, released: false, note }, null, 2)}\n`);
      else ctx.stdout(`${note}\n`);
      return 0;
    }
    const released = await verifyRelease({ root: ctx.root, env, ...(keyFlags ? { keyFlags } : {}) });
    // A locked environment must also be exactly the release its signed lock records.
    const locked = await verifyLock(ctx.root, env, keyFlags);
    for (const n of locked.notes) ctx.stderr(`warning: ${n}\n`);
    const problems = [...released.problems, ...locked.problems];
    const result = { ...released, ok: problems.length === 0, problems, ...(locked.notes.length ? { notes: locked.notes } : {}) };
    if (ctx.json) {
      ctx.stdout(`${JSON.stringify({ ...result, problems: result.problems.map((p) => ({ ...p, text: formatProblem(p) })) }, null, 2)}\n`);
    } else if (result.ok) {
      const c = result.checked;
      ctx.stdout(`${env}: release ${result.releaseId} verified (signed by ${result.signer}; ${c.manifests} manifests, ${c.artifacts} inputs and artifacts, ${c.images} images, ${c.workloads} workloads)\n`);
    }
    if (!result.ok) {
      for (const p of result.problems) ctx.stderr(`error: ${formatProblem(p)}\n`);
      ctx.stderr(`${env}: verification failed with ${result.problems.length} problem(s)\n`);
      return 1;
    }
    return 0;
  },
};
