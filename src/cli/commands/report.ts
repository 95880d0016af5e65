import { writeReport } from '../../review/report/report.ts';
import { UsageError } from '../../util/errors.ts';
import type { Command } from '../command.ts';
import { selectEnvironments } from './environments.ts';

export const reportCommand: Command = {
  name: 'report',
  summary: 'Write a self-contained HTML release report (policies, supply chain, network graph, RBAC)',
  usage: '--env NAME [--out FILE]',
  description:
    'Reads dist/<env>/ (manifests and objects.json are required; images.json, sbom.cdx.json,\n' +
    'reports/policy-report.yaml, release.json and its signature are shown when present, "not produced"\n' +
    'otherwise) and writes one HTML file with inline CSS and SVG: no script, no network request.\n' +
    'A present signature is verified offline with the environment\'s trusted keys (as lockstep verify).',
  examples: ['lockstep report --env dev', 'lockstep report --env production --out /tmp/production.html', 'lockstep report --env staging --no-verify'],
  options: {
    env: { type: 'string', valueName: 'NAME', description: 'Environment to report on (required)' },
    out: { type: 'string', valueName: 'FILE', description: 'Output file (default: dist/<env>/reports/report.html)' },
    'no-verify': { type: 'boolean', description: 'Do not verify the release signature; show it as "signed (not verified here)"' },
  },
  async run(ctx) {
    const env = ctx.values.env as string | undefined;
    if (!env) throw new UsageError('lockstep report: --env NAME is required', 'name the environment, e.g. lockstep report --env dev');
    const [name] = await selectEnvironments(ctx.root, [env]);
    const out = ctx.values.out as string | undefined;
    const path = await writeReport({ root: ctx.root, env: name!, ...(out !== undefined ? { out } : {}), verify: !ctx.values['no-verify'] });
    const shown = path.startsWith(`${ctx.root}/`) ? path.slice(ctx.root.length + 1) : path;
    ctx.stdout(ctx.json ? `${JSON.stringify({ environment: name, report: shown }, null, 2)}\n` : `${name}: report → ${shown}\n`);
    return 0;
  },
};
