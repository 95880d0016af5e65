import { resolve } from 'node:path';
import { formatPolicyTestRun } from '../../policy/kyverno-test/format.ts';
import { runPolicyTests } from '../../policy/kyverno-test/run.ts';
import { UsageError } from '../../util/errors.ts';
import type { Command } from '../command.ts';

export const policyTestCommand: Command = {
  name: 'policy test',
  summary: 'Run every kyverno-test.yaml under DIR like `kyverno test` (offline, built-in engines)',
  usage: 'DIR',
  description:
    'Loads each test file\'s policies, resources and values, evaluates them, and compares with the expected\n' +
    'pass/fail/skip per policy, rule and resource. Prints the mismatches and ends with "N passed, N failed".\n' +
    'Exit 1 on any mismatch.',
  examples: ['lockstep policy test policies', 'lockstep policy test ../shared/fixtures/policy/kyverno-policies/pod-security-vpol --json'],
  options: {},
  allowPositionals: true,
  async run(ctx) {
    if (ctx.positionals.length !== 1) throw new UsageError('lockstep policy test needs exactly one DIR', 'e.g. lockstep policy test policies');
    const run = await runPolicyTests(resolve(ctx.root, ctx.positionals[0]!));
    ctx.stdout(formatPolicyTestRun(run, { json: ctx.json }));
    return run.failed > 0 ? 1 : 0;
  },
};
