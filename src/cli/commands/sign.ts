import type { Command } from '../command.ts';
import { loadEnvironment } from '../../config/load.ts';
import { recoverWorkspace } from '../../delivery/journal.ts';
import { findOnPath } from '../../release/cosign.ts';
import { defaultBuilderId } from '../../release/provenance.ts';
import { signRelease, signReleaseWithCosign, type SignedRelease } from '../../release/sign.ts';
import { resolveSigningKey } from '../../release/signing-key.ts';
import { resolveSourceCommit } from '../../release/source-commit.ts';
import { resolveTrustedKeys } from '../../release/trusted-keys.ts';
import { keyHint } from '../../supply-chain/signing/keys.ts';
import { LockstepError, UsageError } from '../../util/errors.ts';
import { VERSION } from '../../version.ts';

export const signCommand: Command = {
  name: 'sign',
  summary: 'Write dist/<env>/release.json and sign it (Sigstore bundle + SLSA provenance attestation)',
  usage: '--env NAME [--key KEY] [--cosign] [--source-commit SHA] [--builder-id URI] [--started-on TIME]',
  description:
    'Records the digest of every file of the rendering (manifests, images.json, objects.json, policy\n' +
    'report, release SBOM) and of its inputs in dist/<env>/release.json, signs its bytes into\n' +
    'dist/<env>/release.sigstore.json (Sigstore bundle v0.3, as `cosign sign-blob --bundle`) and writes\n' +
    'dist/<env>/release.intoto.json (DSSE envelope of an in-toto statement over release.json and every\n' +
    'manifest, SLSA Provenance v1 predicate).\n' +
    '\n' +
    'Key: --key is a cosign key (password from COSIGN_PASSWORD) or an unencrypted PKCS#8 PEM. Without\n' +
    '--key, a dev environment with signing.allowDevKey uses the local development key\n' +
    '.lockstep/dev-key/cosign.key, generated on first use; staging and production need --key (or --cosign).\n' +
    '--cosign runs the cosign CLI instead (keyless with the CI identity, or with --key / a KMS URI).\n' +
    'The source commit is --source-commit, else GITHUB_SHA / CI_COMMIT_SHA, else `git rev-parse HEAD`.',
  examples: [
    'lockstep sign --env dev',
    'COSIGN_PASSWORD=… lockstep sign --env production --key release.key',
    'lockstep sign --env production --cosign            # in CI: keyless, Fulcio + Rekor',
    'lockstep sign --env staging --key release.key --source-commit "$(git rev-parse HEAD)" --json',
  ],
  options: {
    env: { type: 'string', valueName: 'NAME', description: 'Environment whose rendering to sign (required)' },
    key: { type: 'string', valueName: 'KEY', description: 'Private key file (cosign.key or PKCS#8 PEM); with --cosign, anything cosign accepts' },
    cosign: { type: 'boolean', description: 'Sign with the cosign CLI on PATH (keyless unless --key)' },
    'source-commit': { type: 'string', valueName: 'SHA', description: 'Commit the rendering was made from (default: CI variable or git HEAD)' },
    'builder-id': { type: 'string', valueName: 'URI', description: 'SLSA builder id (default: the GitHub workflow ref, else https://lockstep.dev/builders/local)' },
    'started-on': { type: 'string', valueName: 'TIME', description: 'RFC 3339 build start time to record in the provenance (default: none)' },
  },
  async run(ctx) {
    const env = ctx.values.env as string | undefined;
    if (!env) throw new UsageError('lockstep sign needs --env NAME', 'e.g. lockstep sign --env dev');
    // Finish or discard what a crashed run left, so the release is built from a complete dist/<env>.
    for (const r of await recoverWorkspace(ctx.root, [env])) ctx.progress(`recovered: interrupted transaction ${r.id} ${r.action}`);
    const loaded = await loadEnvironment(ctx.root, env);
    const keyPath = ctx.values.key as string | undefined;
    const sourceCommit = await resolveSourceCommit({ root: ctx.root, ...(ctx.values['source-commit'] ? { flag: ctx.values['source-commit'] as string } : {}), env: ctx.env, progress: ctx.progress });
    const common = {
      root: ctx.root,
      env,
      sourceCommit,
      compilerVersion: VERSION,
      builderId: (ctx.values['builder-id'] as string | undefined) ?? defaultBuilderId(ctx.env),
      ...(ctx.values['started-on'] ? { startedOn: ctx.values['started-on'] as string } : {}),
    };
    let signed: SignedRelease;
    if (ctx.values.cosign) {
      const cosignPath = findOnPath('cosign', ctx.env['PATH']);
      if (!cosignPath) throw new LockstepError({ message: 'cosign not found on PATH', fix: 'install cosign, or sign in process without --cosign', code: 'release/no-cosign' });
      ctx.progress(`signing ${env} with ${cosignPath}${keyPath ? ` and ${keyPath}` : ' (keyless)'}`);
      signed = await signReleaseWithCosign({ ...common, cosignPath, processEnv: ctx.env, ...(keyPath !== undefined ? { key: keyPath } : {}) });
    } else {
      const key = await resolveSigningKey({ root: ctx.root, config: loaded.config, envFile: loaded.file, ...(keyPath !== undefined ? { keyPath } : {}), ...(ctx.env['COSIGN_PASSWORD'] !== undefined ? { password: ctx.env['COSIGN_PASSWORD'] } : {}), progress: ctx.progress });
      // A key the environment does not trust makes a release `lockstep verify` rejects: say so now.
      const trusted = await resolveTrustedKeys({ root: ctx.root, config: loaded.config, envFile: loaded.file });
      const hint = keyHint(key.key);
      if (!trusted.keys.some((k) => keyHint(k.key) === hint)) {
        ctx.progress(`warning: ${key.keyFile} is not among the keys ${loaded.file} trusts (signing.trustedKeys${loaded.config.signing.allowDevKey ? ', dev key' : ''}); lockstep verify --env ${env} will reject this release`);
      }
      signed = await signRelease({ ...common, key: key.key });
    }
    const json = {
      environment: env,
      release: signed.release.id,
      sourceCommit: signed.release.source.commit,
      manifests: signed.release.manifests.files.length,
      manifestsDigest: signed.release.manifests.digest,
      images: signed.release.images.length,
      files: signed.files,
      ...(signed.keyHint ? { keyHint: signed.keyHint } : {}),
    };
    ctx.stdout(
      ctx.json
        ? `${JSON.stringify(json, null, 2)}\n`
        : `${env}: release ${signed.release.id} (${json.manifests} manifests, ${json.images} images) signed\n  ${signed.files.release}\n  ${signed.files.bundle}\n  ${signed.files.attestation}\n`,
    );
    return 0;
  },
};
