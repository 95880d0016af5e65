import type { Command } from '../command.ts';
import { verifyBlobAttestationCommand } from '../../supply-chain/signing/commands.ts';
import { atRoot, onePositional, parseCosignBool, requireString } from './cosign-flags.ts';

export const verifyBlobAttestationCmd: Command = {
  name: 'verify-blob-attestation',
  summary: 'Verify a DSSE in-toto attestation of a file with a public key (cosign verify-blob-attestation)',
  usage: '--key PUB (--signature ENVELOPE | --bundle B) [--type T] [--check-claims=false] [--insecure-ignore-tlog] [FILE]',
  description:
    'Verifies the envelope signature, then (unless --check-claims=false) that FILE\'s sha256 is one of\n' +
    'the statement\'s subjects, then that the predicate type is --type (an alias such as slsaprovenance1,\n' +
    'spdxjson, cyclonedx, or a URI; default "custom", as in cosign). A bare DSSE envelope has no\n' +
    'transparency-log proof, so it needs --insecure-ignore-tlog. --check-claims is written as cosign\n' +
    'writes it: --check-claims=false.',
  examples: [
    'lockstep verify-blob-attestation --key cosign.pub --signature dist/dev/release.intoto.json --type slsaprovenance1 --insecure-ignore-tlog dist/dev/release.json',
    'lockstep verify-blob-attestation --key cosign.pub --signature att.json --type slsaprovenance1 --check-claims=false --insecure-ignore-tlog',
  ],
  allowPositionals: true,
  options: {
    key: { type: 'string', valueName: 'PUB', description: 'Public key file (cosign.pub)' },
    signature: { type: 'string', valueName: 'ENVELOPE', description: 'DSSE envelope file' },
    bundle: { type: 'string', valueName: 'B', description: 'Sigstore bundle holding a DSSE envelope' },
    type: { type: 'string', valueName: 'T', description: 'Predicate type alias or URI (default: custom)' },
    'check-claims': { type: 'string', valueName: 'BOOL', description: 'Check FILE\'s digest among the subjects (default true; --check-claims=false to skip)' },
    'insecure-ignore-tlog': { type: 'boolean', description: 'Do not require or check a transparency-log entry' },
    'trusted-root': { type: 'string', valueName: 'FILE', description: 'trusted_root.json to check transparency-log entries offline' },
  },
  async run(ctx) {
    const key = requireString(ctx, 'verify-blob-attestation', 'key', 'lockstep verify-blob-attestation --key cosign.pub --signature ENVELOPE FILE');
    const checkClaims = parseCosignBool('check-claims', ctx.values['check-claims']);
    const file = onePositional(ctx, 'verify-blob-attestation', 'attested FILE', false);
    const signature = ctx.values.signature as string | undefined;
    const bundle = ctx.values.bundle as string | undefined;
    const type = ctx.values.type as string | undefined;
    const trustedRoot = ctx.values['trusted-root'] as string | undefined;
    const result = await verifyBlobAttestationCommand({
      key: atRoot(ctx, key),
      ...(signature !== undefined ? { signature: atRoot(ctx, signature) } : {}),
      ...(bundle !== undefined ? { bundle: atRoot(ctx, bundle) } : {}),
      ...(type !== undefined ? { type } : {}),
      ...(checkClaims !== undefined ? { checkClaims } : {}),
      ...(ctx.values['insecure-ignore-tlog'] ? { insecureIgnoreTlog: true } : {}),
      ...(trustedRoot !== undefined ? { trustedRoot: atRoot(ctx, trustedRoot) } : {}),
      ...(file !== undefined ? { file: atRoot(ctx, file) } : {}),
    });
    if (ctx.json) {
      ctx.stdout(`${JSON.stringify({ verified: true, predicateType: result.predicateType, ...(result.matchedSubject !== undefined ? { matchedSubject: result.matchedSubject } : {}), subjects: result.statement.subject.length }, null, 2)}\n`);
    } else ctx.stderr(`${result.message}\n`);
    return 0;
  },
};
