import type { Command } from '../command.ts';
import { buildCommand } from './build.ts';
import { synthCommand } from './synth.ts';
import { checkCommand } from './check.ts';
import { promoteCommand, rollbackCommand } from './promote.ts';
import { conformanceCommand } from './conformance.ts';
import { policyTestCommand } from './policy-test.ts';
import { signCommand } from './sign.ts';
import { verifyCommand } from './verify.ts';
import { generateKeyPairCmd } from './generate-key-pair.ts';
import { publicKeyCmd } from './public-key.ts';
import { signBlobCmd } from './sign-blob.ts';
import { verifyBlobCmd } from './verify-blob.ts';
import { verifyBlobAttestationCmd } from './verify-blob-attestation.ts';
import { imagesPinCommand } from './images-pin.ts';
import { sbomCommand } from './sbom.ts';
import { argocdCommand } from './argocd.ts';
import { ciCommand } from './ci.ts';
import { reportCommand } from './report.ts';
import { diffCommand } from './diff.ts';

/** Every command, in the order `lockstep --help` lists them. */
export const commands: readonly Command[] = [
  buildCommand,
  synthCommand,
  checkCommand,
  argocdCommand,
  ciCommand,
  policyTestCommand,
  conformanceCommand,
  signCommand,
  verifyCommand,
  promoteCommand,
  rollbackCommand,
  imagesPinCommand,
  sbomCommand,
  reportCommand,
  diffCommand,
  generateKeyPairCmd,
  publicKeyCmd,
  signBlobCmd,
  verifyBlobCmd,
  verifyBlobAttestationCmd,
];
