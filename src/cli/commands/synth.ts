import { synthesize, countByKind, type EnvironmentSynth } from '../../synth/synth.ts';
import { buildExamplePlatform } from '../../platform/index.ts';
import type { Command, CommandContext } from '../command.ts';
import { selectEnvironments } from './environments.ts';
import { defaultGates } from '../../gates/index.ts';

export async function runSynth(ctx: CommandContext): Promise<EnvironmentSynth[]> {
  const envs = await selectEnvironments(ctx.root, ctx.values.env as string[] | undefined);
  return synthesize({ root: ctx.root, environments: envs, define: buildExamplePlatform, progress: ctx.progress, gates: defaultGates(), cache: ctx.values['no-cache'] !== true });
}

export function synthSummary(results: readonly EnvironmentSynth[]): { text: string; json: unknown } {
  const json = results.map((r) => ({ environment: r.name, objects: r.rendering.objects.length, kinds: Object.fromEntries(countByKind(r.rendering)) }));
  const lines: string[] = [];
  for (const r of results) {
    lines.push(`${r.name}: ${r.rendering.objects.length} objects → dist/${r.name}/manifests`);
    for (const [kind, n] of countByKind(r.rendering)) lines.push(`  ${String(n).padStart(4)}  ${kind}`);
  }
  return { text: `${lines.join('\n')}\n`, json };
}

export const synthCommand: Command = {
  name: 'synth',
  summary: 'Render every environment into dist/<env>/manifests (atomically, byte-for-byte reproducible)',
  usage: '[--env NAME]...',
  description:
    'Loads environments/<env>.yaml, builds the platform construct tree for each environment, runs the\n' +
    'synth-time gates (Kubernetes schema, restricted Pod Security, default-deny, RBAC, network selectors,\n' +
    'image pins) and writes one file per object. Problems of all environments are reported together;\n' +
    'nothing is written unless all pass. Unchanged manifests are not rewritten, and Units whose inputs,\n' +
    'environment and code are unchanged are restored from .lockstep/cache instead of built\n' +
    '(docs/constructs/unit.md).',
  examples: ['lockstep synth', 'lockstep synth --env staging --env production', 'lockstep synth --json', 'lockstep synth --no-cache'],
  options: {
    env: { type: 'string', multiple: true, valueName: 'NAME', description: 'Environment to render (repeatable; default: all)' },
    'no-cache': { type: 'boolean', description: 'Render every object and Unit afresh, ignoring and not updating .lockstep/cache (same output bytes)' },
  },
  async run(ctx) {
    const results = await runSynth(ctx);
    const summary = synthSummary(results);
    ctx.stdout(ctx.json ? `${JSON.stringify(summary.json, null, 2)}\n` : summary.text);
    return 0;
  },
};
