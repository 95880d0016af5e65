import type { Command } from '../command.ts';
import { generateKeyPairCommand } from '../../supply-chain/signing/commands.ts';
import { LockstepError } from '../../util/errors.ts';
import { atRoot, cosignPassword } from './cosign-flags.ts';

export const generateKeyPairCmd: Command = {
  name: 'generate-key-pair',
  summary: 'Create a cosign key pair (<prefix>.key encrypted with COSIGN_PASSWORD, <prefix>.pub)',
  usage: '[--output-key-prefix PREFIX]',
  description:
    'Same files as `cosign generate-key-pair`: an ECDSA P-256 key in an "ENCRYPTED SIGSTORE PRIVATE KEY"\n' +
    'PEM (scrypt + NaCl secretbox, mode 0600) and its SPKI public key (mode 0644). The password is read\n' +
    'from COSIGN_PASSWORD (an empty value is allowed); there is no prompt. Existing files are never\n' +
    'overwritten.',
  examples: ['COSIGN_PASSWORD=… lockstep generate-key-pair', 'COSIGN_PASSWORD= lockstep generate-key-pair --output-key-prefix keys/release'],
  options: {
    'output-key-prefix': { type: 'string', valueName: 'PREFIX', description: 'Write PREFIX.key and PREFIX.pub (default: cosign)' },
  },
  async run(ctx) {
    const password = cosignPassword(ctx);
    if (password === undefined) {
      throw new LockstepError({ message: 'COSIGN_PASSWORD is not set, and lockstep does not prompt for a password', fix: 'set COSIGN_PASSWORD (COSIGN_PASSWORD= for an unencrypted-equivalent empty password)', code: 'signing/usage' });
    }
    const prefix = (ctx.values['output-key-prefix'] as string | undefined) ?? 'cosign';
    const result = await generateKeyPairCommand({ outputKeyPrefix: atRoot(ctx, prefix), password });
    if (ctx.json) ctx.stdout(`${JSON.stringify({ privateKey: `${prefix}.key`, publicKey: `${prefix}.pub`, publicPem: result.publicPem }, null, 2)}\n`);
    else ctx.stderr(`Private key written to ${prefix}.key\nPublic key written to ${prefix}.pub\n`);
    return 0;
  },
};
