import type { Command } from '../command.ts';
import { publicKeyCommand } from '../../supply-chain/signing/commands.ts';
import { atRoot, cosignPassword, requireString } from './cosign-flags.ts';

export const publicKeyCmd: Command = {
  name: 'public-key',
  summary: 'Print (or write) the public key of a cosign private key',
  usage: '--key KEY [--output-file FILE]',
  description: 'As `cosign public-key --key`: the SPKI "PUBLIC KEY" PEM. The password comes from COSIGN_PASSWORD.',
  examples: ['COSIGN_PASSWORD=… lockstep public-key --key cosign.key', 'lockstep public-key --key cosign.key --output-file cosign.pub'],
  options: {
    key: { type: 'string', valueName: 'KEY', description: 'Private key file (cosign.key or PKCS#8 PEM)' },
    'output-file': { type: 'string', valueName: 'FILE', description: 'Write the public key to FILE instead of standard output' },
  },
  async run(ctx) {
    const key = requireString(ctx, 'public-key', 'key', 'lockstep public-key --key cosign.key');
    const outputFile = ctx.values['output-file'] as string | undefined;
    const password = cosignPassword(ctx);
    const result = await publicKeyCommand({ key: atRoot(ctx, key), ...(password !== undefined ? { password } : {}), ...(outputFile !== undefined ? { outputFile: atRoot(ctx, outputFile) } : {}) });
    if (ctx.json) ctx.stdout(`${JSON.stringify({ publicPem: result.publicPem, ...(outputFile !== undefined ? { outputFile } : {}) }, null, 2)}\n`);
    else if (outputFile === undefined) ctx.stdout(result.publicPem);
    else ctx.stderr(`Public key written to ${outputFile}\n`);
    return 0;
  },
};
