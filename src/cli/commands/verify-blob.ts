import type { Command } from '../command.ts';
import { verifyBlobCommand } from '../../supply-chain/signing/commands.ts';
import { atRoot, onePositional, requireString, signatureArg } from './cosign-flags.ts';

export const verifyBlobCmd: Command = {
  name: 'verify-blob',
  summary: 'Verify a file\'s signature with a public key (cosign verify-blob --key)',
  usage: '--key PUB (--bundle B | --signature SIG) [--insecure-ignore-tlog] [--trusted-root FILE] FILE',
  description:
    'Accepts a Sigstore bundle (v0.1–v0.3, key-signed), a legacy cosign bundle or a raw signature (a file,\n' +
    'or the base64 text itself). Offline: without --insecure-ignore-tlog a transparency-log entry is\n' +
    'required and checked against --trusted-root (cosign would fetch the root and search Rekor online).\n' +
    'Prints "Verified OK" on success; exit code 1 with the reason otherwise.',
  examples: [
    'lockstep verify-blob --key cosign.pub --bundle file.sigstore.json --insecure-ignore-tlog file.tar',
    'lockstep verify-blob --key cosign.pub --signature file.sig --insecure-ignore-tlog file.tar',
    'lockstep verify-blob --key key.pub --bundle b.sigstore.json --trusted-root trusted_root.json a.txt',
  ],
  allowPositionals: true,
  options: {
    key: { type: 'string', valueName: 'PUB', description: 'Public key file (cosign.pub)' },
    bundle: { type: 'string', valueName: 'B', description: 'Bundle file' },
    signature: { type: 'string', valueName: 'SIG', description: 'Signature file, or the base64 signature' },
    'insecure-ignore-tlog': { type: 'boolean', description: 'Do not require or check a transparency-log entry' },
    'trusted-root': { type: 'string', valueName: 'FILE', description: 'trusted_root.json to check transparency-log entries offline' },
  },
  async run(ctx) {
    const key = requireString(ctx, 'verify-blob', 'key', 'lockstep verify-blob --key cosign.pub --bundle B FILE');
    const file = onePositional(ctx, 'verify-blob', 'FILE to verify', true)!;
    const bundle = ctx.values.bundle as string | undefined;
    const signature = ctx.values.signature as string | undefined;
    const trustedRoot = ctx.values['trusted-root'] as string | undefined;
    const result = await verifyBlobCommand({
      key: atRoot(ctx, key),
      file: atRoot(ctx, file),
      ...(bundle !== undefined ? { bundle: atRoot(ctx, bundle) } : {}),
      ...(signature !== undefined ? { signature: signatureArg(ctx, signature) } : {}),
      ...(ctx.values['insecure-ignore-tlog'] ? { insecureIgnoreTlog: true } : {}),
      ...(trustedRoot !== undefined ? { trustedRoot: atRoot(ctx, trustedRoot) } : {}),
    });
    if (ctx.json) ctx.stdout(`${JSON.stringify({ verified: true, source: result.source, keyHint: result.keyHint, tlogEntriesVerified: result.tlogEntriesVerified, tlogEntriesIgnored: result.tlogEntriesIgnored }, null, 2)}\n`);
    else ctx.stderr(`${result.message}\n`);
    return 0;
  },
};
