import { runCheck } from '../../check/run.ts';
import { VERSION } from '../../version.ts';
import { UsageError } from '../../util/errors.ts';
import type { Command } from '../command.ts';
import { selectEnvironments } from './environments.ts';

export const checkCommand: Command = {
  name: 'check',
  summary: 'Evaluate the admission policies and policies/ against dist/<env>; write PolicyReport, SARIF and JUnit',
  usage: '[--env NAME]... [--format text|json] [--no-reports]',
  description:
    'Evaluates the generated Kyverno admission policies (and Preview-mode ones) against every rendered object,\n' +
    'with its Namespace as namespaceObject, and the json.kyverno.io policies in policies/ against the\n' +
    'environment files. Writes dist/<env>/reports/{policy-report.yaml,results.sarif,junit.xml} (outside\n' +
    'manifests/, so Argo CD never reads them). Exit 1 when a rule in Deny mode fails; Audit and Warn\n' +
    'failures are warnings, Preview failures informational.',
  examples: ['lockstep check', 'lockstep check --env production --format json'],
  options: {
    env: { type: 'string', multiple: true, valueName: 'NAME', description: 'Environment to check (repeatable; default: all)' },
    format: { type: 'string', valueName: 'text|json', description: 'Output format (default text; --json is the same as --format json)' },
    'no-reports': { type: 'boolean', description: 'Do not write dist/<env>/reports/' },
  },
  async run(ctx) {
    const format = (ctx.values.format as string | undefined) ?? (ctx.json ? 'json' : 'text');
    if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json, got ${JSON.stringify(format)}`);
    const environments = await selectEnvironments(ctx.root, ctx.values.env as string[] | undefined);
    ctx.progress(`check: ${environments.join(', ')}`);
    const out = await runCheck({ root: ctx.root, environments, format, writeReports: !ctx.values['no-reports'], toolVersion: VERSION });
    ctx.stdout(out.stdout);
    return out.exitCode;
  },
};
