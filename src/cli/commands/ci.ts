import { CI_MODES, ciPlan, ciRunJson, formatCiRun, localCommandLine, runCiPlan, WORKFLOW_OF, type CiMode, type GateRunner } from '../../delivery/ci.ts';
import { gitChanges } from '../../delivery/git-changes.ts';
import { UsageError } from '../../util/errors.ts';
import type { Command, CommandContext } from '../command.ts';

/**
 * Gates run through the CLI itself (`main`), in process, so each one parses its flags and reports
 * its problems exactly as `npx lockstep …` in the workflow does. The registry and `main` are loaded
 * when the command runs, not when this module loads: the registry imports this module.
 */
async function cliRunner(ctx: CommandContext): Promise<GateRunner> {
  const [{ commandIndex }, { main }] = await Promise.all([import('./index.ts'), import('../main.ts')]);
  const quiet = ctx.values.quiet ? ['--quiet'] : [];
  return {
    hasCommand: (name) => commandIndex.some((c) => c.name === name),
    // Sub-command output goes to stderr: stdout carries only the summary (or its JSON).
    runCommand: (name, args) => main([...name.split(' '), ...args, ...quiet], { stdout: ctx.stderr, stderr: ctx.stderr, env: ctx.env, cwd: ctx.root }),
    changes: (paths) => gitChanges(ctx.root, paths),
    onGate: (gate) => ctx.progress(`── ci: ${gate.id}: ${localCommandLine(gate)}`),
  };
}

export const ciCommand: Command = {
  name: 'ci',
  summary: 'Run the gates of a CI workflow locally, in the same order (pr, staging or production)',
  usage: 'pr|staging|production [--base REF] [--key KEY] [--approvals FILE] [--keep-going] [--plan]',
  description:
    'pr runs the gates of .github/workflows/pr.yml, staging those of main.yml, production those of\n' +
    'promote.yml: build, argocd, the drift check (dist/ and argocd/ committed as generated), check,\n' +
    'policy test, then verify/diff, sign/verify or verify/promote/sign/verify/argocd. Each gate is the\n' +
    'lockstep command the workflow runs, invoked in process. A gate whose command is not in this build\n' +
    'is reported "not available" and fails the run. Like the workflow, the run stops at the first\n' +
    'failing gate (--keep-going runs the rest). Prints ✓/✗ per gate; exit 1 if any gate did not pass.\n' +
    'Signing: CI signs keyless; locally pass --key, or the sign gates run cosign keyless too.',
  examples: ['lockstep ci pr', 'lockstep ci pr --base origin/release-1 --keep-going', 'lockstep ci staging --key release.key', 'lockstep ci production --plan --json'],
  options: {
    base: { type: 'string', valueName: 'REF', description: 'Base revision of the rendered diff (pr; default: origin/main)' },
    key: { type: 'string', valueName: 'KEY', description: 'Signing key for the sign gates (default: keyless, cosign)' },
    approvals: { type: 'string', valueName: 'FILE', description: 'Deployment approvals for the promote gate (production)' },
    'keep-going': { type: 'boolean', description: 'Run every gate even after one fails' },
    plan: { type: 'boolean', description: 'Print the gates and the workflow line of each; run nothing' },
  },
  allowPositionals: true,
  async run(ctx) {
    const mode = ctx.positionals[0];
    if (ctx.positionals.length !== 1 || !CI_MODES.includes(mode as CiMode)) {
      throw new UsageError(`lockstep ci needs one of ${CI_MODES.join(', ')}, got ${JSON.stringify(ctx.positionals.join(' '))}`, 'e.g. lockstep ci pr');
    }
    const plan = ciPlan(mode as CiMode, {
      ...(ctx.values.base ? { base: ctx.values.base as string } : {}),
      ...(ctx.values.key ? { key: ctx.values.key as string } : {}),
      ...(ctx.values.approvals ? { approvals: ctx.values.approvals as string } : {}),
    });
    if (ctx.values.plan) {
      if (ctx.json) {
        ctx.stdout(`${JSON.stringify({ mode, workflow: WORKFLOW_OF[mode as CiMode], gates: plan.map((g) => ({ id: g.id, title: g.title, command: localCommandLine(g), workflow: g.workflow })) }, null, 2)}\n`);
      } else {
        const width = Math.max(...plan.map((g) => g.id.length));
        ctx.stdout(`lockstep ci ${mode} (${WORKFLOW_OF[mode as CiMode]})\n${plan.map((g, i) => `  ${String(i + 1).padStart(2)}. ${g.id.padEnd(width)}  ${localCommandLine(g)}\n      ${''.padEnd(width)}  CI: ${g.workflow}`).join('\n')}\n`);
      }
      return 0;
    }
    const run = await runCiPlan(mode as CiMode, plan, await cliRunner(ctx), { keepGoing: Boolean(ctx.values['keep-going']) });
    ctx.stdout(ctx.json ? `${JSON.stringify(ciRunJson(run), null, 2)}\n` : formatCiRun(run));
    return run.ok ? 0 : 1;
  },
};
