import { loadEnvironment } from '../../config/load.ts';
import type { Command, CommandContext } from '../command.ts';
import { argocdSummary, runArgoCd } from './argocd.ts';
import { writeReports } from '../../review/report/report.ts';
import { checkCommand } from './check.ts';
import { selectEnvironments } from './environments.ts';
import { signCommand } from './sign.ts';
import { runSynth, synthSummary } from './synth.ts';
import { verifyCommand } from './verify.ts';

interface StageResult {
  readonly stage: string;
  readonly environments: readonly string[];
  readonly ok: boolean;
  readonly output: string;
}

/** Runs another command's behaviour as a build stage, capturing its stdout. */
async function stage(ctx: CommandContext, command: Command, values: CommandContext['values']): Promise<{ code: number; output: string }> {
  let output = '';
  const code = await command.run({ ...ctx, values: { ...values, json: ctx.json }, stdout: (t) => (output += t) });
  return { code, output };
}

export const buildCommand: Command = {
  name: 'build',
  summary: 'The main job: run every pipeline stage for every environment that can run locally',
  usage: '[--env NAME]...',
  description:
    'Stages, in order, stopping at the first that fails:\n' +
    '  1. synth   render and gate every environment into dist/<env>/\n' +
    '  2. check   evaluate admission policies, write dist/<env>/reports/\n' +
    '  3. sign    sign the release of every environment that can sign locally (dev, with the local dev key)\n' +
    '  4. verify  verify what was signed\n' +
    '  5. argocd  regenerate argocd/<env>/ (AppProject and Applications) from the renderings\n' +
    '  6. report  write dist/<env>/reports/report.html (inventory, policies, supply chain, network graph, RBAC)\n' +
    'Staging and production are signed in CI (keyless) and by `lockstep promote`; build renders and checks them.',
  examples: ['lockstep build', 'lockstep build --env dev --json'],
  options: {
    env: { type: 'string', multiple: true, valueName: 'NAME', description: 'Environment to build (repeatable; default: all)' },
  },
  async run(ctx) {
    const envs = await selectEnvironments(ctx.root, ctx.values.env as string[] | undefined);
    const results: StageResult[] = [];
    const report = () => {
      if (ctx.json) ctx.stdout(`${JSON.stringify({ ok: results.every((r) => r.ok), stages: results }, null, 2)}\n`);
      else for (const r of results) ctx.stdout(`${r.ok ? '✓' : '✗'} ${r.stage} (${r.environments.join(', ')})\n${r.output.replace(/^/gm, '    ').trimEnd()}\n`);
    };

    const synthesized = await runSynth({ ...ctx, values: { ...ctx.values, env: envs } });
    results.push({ stage: 'synth', environments: envs, ok: true, output: ctx.json ? '' : synthSummary(synthesized).text });

    const checked = await stage(ctx, checkCommand, { env: envs });
    results.push({ stage: 'check', environments: envs, ok: checked.code === 0, output: checked.output });
    if (checked.code !== 0) return report(), 1;

    const local: string[] = [];
    for (const name of envs) if ((await loadEnvironment(ctx.root, name)).config.signing.allowDevKey) local.push(name);
    for (const name of local) {
      const signed = await stage(ctx, signCommand, { env: name });
      results.push({ stage: 'sign', environments: [name], ok: signed.code === 0, output: signed.output });
      if (signed.code !== 0) return report(), 1;
      const verified = await stage(ctx, verifyCommand, { env: name });
      results.push({ stage: 'verify', environments: [name], ok: verified.code === 0, output: verified.output });
      if (verified.code !== 0) return report(), 1;
    }
    const argo = await runArgoCd({ ...ctx, values: { ...ctx.values, env: envs } }, { renderings: synthesized.map((r) => r.rendering) });
    results.push({ stage: 'argocd', environments: envs, ok: true, output: ctx.json ? '' : argocdSummary(argo).text });
    const pages = await writeReports({ root: ctx.root, environments: envs, progress: ctx.progress });
    results.push({ stage: 'report', environments: envs, ok: true, output: pages.map((p) => `${p}\n`).join('') });
    report();
    return 0;
  },
};
