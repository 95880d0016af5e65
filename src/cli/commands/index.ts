import type { Command } from '../command.ts';
import { buildCommand } from './build.ts';
import { synthCommand } from './synth.ts';
import { conformanceCommand } from './conformance.ts';
import { policyTestCommand } from './policy-test.ts';

/** Every command, in the order `lockstep --help` lists them. */
export const commands: readonly Command[] = [buildCommand, synthCommand, policyTestCommand, conformanceCommand];
