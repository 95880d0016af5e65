import { buildExamplePlatform } from '../../platform/index.ts';
import { DEFAULT_REPO_URL } from '../../delivery/argocd/generate.ts';
import { runArgoCdStage, type ArgoCdStageResult } from '../../delivery/argocd/stage.ts';
import type { Rendering } from '../../synth/render.ts';
import { formatProblem, UsageError } from '../../util/errors.ts';
import type { Command, CommandContext } from '../command.ts';
import { selectEnvironments } from './environments.ts';

/** `--revision ENV=REV` values → map; a malformed value is a usage error. */
export function parseRevisions(values: readonly string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values ?? []) {
    const eq = v.indexOf('=');
    if (eq <= 0 || eq === v.length - 1) throw new UsageError(`--revision must be ENV=REVISION, got ${JSON.stringify(v)}`, 'e.g. --revision production=release/production-0123456789ab');
    const env = v.slice(0, eq);
    if (out[env] !== undefined) throw new UsageError(`--revision is given twice for ${JSON.stringify(env)}`, 'give one revision per environment');
    out[env] = v.slice(eq + 1);
  }
  return out;
}

/**
 * Runs the stage as the command does. `lockstep build` can call this with its own context and the
 * renderings of its synth stage (`results.map((r) => r.rendering)`), so nothing is rendered twice.
 */
export async function runArgoCd(ctx: CommandContext, options: { check?: boolean; renderings?: readonly Rendering[] } = {}): Promise<ArgoCdStageResult> {
  const envs = await selectEnvironments(ctx.root, ctx.values.env as string[] | undefined);
  return runArgoCdStage({
    root: ctx.root,
    environments: envs,
    define: buildExamplePlatform,
    repoURL: (ctx.values['repo-url'] as string | undefined) ?? DEFAULT_REPO_URL,
    revisions: parseRevisions(ctx.values.revision as string[] | undefined),
    check: options.check ?? Boolean(ctx.values.check),
    ...(options.renderings ? { renderings: options.renderings } : {}),
    progress: ctx.progress,
  });
}

export function argocdSummary(result: ArgoCdStageResult): { text: string; json: unknown } {
  const lines: string[] = [];
  for (const e of result.output.environments) {
    const lock = e.lock ? `; locked by a deny window (${e.lock.manualSync ? 'manual sync allowed' : 'hard freeze'})` : '';
    lines.push(`argocd/${e.environment}: AppProject ${e.project}: ${e.namespaces.length} namespaces, ${e.clusterKinds} cluster-scoped and ${e.namespacedKinds} namespaced kinds${lock}`);
    for (const a of e.applications) {
      lines.push(`  Application ${a.name} → ${a.server}: ${e.path} at ${a.targetRevision}, ${a.automated ? 'automated (prune, selfHeal)' : 'manual sync only'}`);
    }
  }
  const json = { environments: result.output.environments, written: result.written, drift: result.drift.map((p) => ({ ...p, text: formatProblem(p) })) };
  return { text: `${lines.join('\n')}\n`, json };
}

export const argocdCommand: Command = {
  name: 'argocd',
  summary: 'Generate argocd/<env>/: an AppProject and Applications per environment, from a fresh render',
  usage: '[--env NAME]... [--repo-url URL] [--revision ENV=REV]... [--check]',
  description:
    'Renders each environment in memory and writes argocd/<env>/ atomically: an AppProject whose\n' +
    'destinations and resource whitelists are exactly the namespaces and kinds the environment renders\n' +
    '(never */*), and one Application per cluster syncing dist/<env>/manifests (directory, recurse,\n' +
    'include *.yaml). dev and staging follow main with automated sync (prune, selfHeal); production is\n' +
    'never automated, is pinned to its release tag release/<env>-<12 hex> (the id `lockstep sign`\n' +
    'records), and its AppProject carries an always-active deny sync window (delivery.manualSync says\n' +
    'whether an operator may still sync by hand). --revision overrides the revision of one environment,\n' +
    'as the promotion step does. --check writes nothing and exits 1 when argocd/ is out of date.',
  examples: [
    'lockstep argocd',
    'lockstep argocd --check',
    'lockstep argocd --env production --revision production=release/production-0123456789ab',
    'lockstep argocd --repo-url https://github.com/acme/platform-config.git --json',
  ],
  options: {
    env: { type: 'string', multiple: true, valueName: 'NAME', description: 'Environment to generate (repeatable; default: all)' },
    'repo-url': { type: 'string', valueName: 'URL', description: `Git repository Argo CD reads (default: ${DEFAULT_REPO_URL})` },
    revision: { type: 'string', multiple: true, valueName: 'ENV=REV', description: 'targetRevision for one environment, overriding delivery.targetRevision (repeatable)' },
    check: { type: 'boolean', description: 'Write nothing; exit 1 if argocd/ differs from what would be generated' },
  },
  async run(ctx) {
    const result = await runArgoCd(ctx);
    const summary = argocdSummary(result);
    ctx.stdout(ctx.json ? `${JSON.stringify(summary.json, null, 2)}\n` : summary.text);
    if (result.drift.length) {
      for (const p of result.drift) ctx.stderr(`error: ${formatProblem(p)}\n`);
      ctx.stderr(`argocd/ is out of date: ${result.drift.length} file(s)\n`);
      return 1;
    }
    return 0;
  },
};
