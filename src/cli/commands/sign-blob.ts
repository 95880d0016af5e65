import type { Command } from '../command.ts';
import { signBlobCommand } from '../../supply-chain/signing/commands.ts';
import { atRoot, cosignPassword, onePositional, parseCosignBool, requireString } from './cosign-flags.ts';

export const signBlobCmd: Command = {
  name: 'sign-blob',
  summary: 'Sign a file with a key (cosign sign-blob --key): Sigstore bundle and/or base64 signature',
  usage: '--key KEY [--bundle OUT] [--output-signature SIG] [--new-bundle-format=false] FILE',
  description:
    'ECDSA P-256 over SHA-256 of the file\'s bytes, as cosign v3 signs with --key and no transparency log.\n' +
    '--bundle writes a Sigstore bundle v0.3 (required unless --new-bundle-format=false, which writes the\n' +
    'legacy {"base64Signature","cert"} JSON instead). The base64 signature is printed on standard output.\n' +
    'The password comes from COSIGN_PASSWORD.',
  examples: [
    'COSIGN_PASSWORD=… lockstep sign-blob --key cosign.key --bundle file.sigstore.json file.tar',
    'lockstep sign-blob --key cosign.key --new-bundle-format=false --output-signature file.sig file.tar',
  ],
  allowPositionals: true,
  options: {
    key: { type: 'string', valueName: 'KEY', description: 'Private key file (cosign.key or PKCS#8 PEM)' },
    bundle: { type: 'string', valueName: 'OUT', description: 'Write the bundle to OUT' },
    'output-signature': { type: 'string', valueName: 'SIG', description: 'Write the base64 signature to SIG' },
    'new-bundle-format': { type: 'string', valueName: 'BOOL', description: 'Write a Sigstore bundle (true, default) or the legacy cosign bundle (=false)' },
  },
  async run(ctx) {
    const key = requireString(ctx, 'sign-blob', 'key', 'lockstep sign-blob --key cosign.key --bundle out.sigstore.json FILE');
    const file = onePositional(ctx, 'sign-blob', 'FILE to sign', true)!;
    const newBundleFormat = parseCosignBool('new-bundle-format', ctx.values['new-bundle-format']);
    const bundle = ctx.values.bundle as string | undefined;
    const outputSignature = ctx.values['output-signature'] as string | undefined;
    const password = cosignPassword(ctx);
    const result = await signBlobCommand({
      key: atRoot(ctx, key),
      file: atRoot(ctx, file),
      ...(password !== undefined ? { password } : {}),
      ...(bundle !== undefined ? { bundle: atRoot(ctx, bundle) } : {}),
      ...(outputSignature !== undefined ? { outputSignature: atRoot(ctx, outputSignature) } : {}),
      ...(newBundleFormat !== undefined ? { newBundleFormat } : {}),
    });
    if (ctx.json) {
      ctx.stdout(`${JSON.stringify({ signature: result.signatureB64, ...(bundle !== undefined ? { bundle } : {}), ...(outputSignature !== undefined ? { outputSignature } : {}) }, null, 2)}\n`);
    } else {
      ctx.stdout(`${result.signatureB64}\n`);
      if (bundle !== undefined) ctx.progress(`Wrote bundle to file ${bundle}`);
      if (outputSignature !== undefined) ctx.progress(`Signature written to ${outputSignature}`);
    }
    return 0;
  },
};
