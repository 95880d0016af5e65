import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { suites, type SuiteResult } from '../../conformance/suites.ts';
import { UsageError } from '../../util/errors.ts';
import type { Command } from '../command.ts';

export const conformanceCommand: Command = {
  name: 'conformance',
  summary: "Replay the third-party suites (Kyverno, kyverno-json, Sigstore, cosign, syft) against Lockstep's built-in engines",
  usage: '[--fixtures DIR] [--suite NAME]...',
  description: `Suites: ${suites.map((s) => s.name).join(', ')}.\nPrints the pass count per suite and ends with "N passed, N failed". Exit 1 when any case fails.`,
  examples: ['lockstep conformance', 'lockstep conformance --suite kyverno-pod-security-vpol --json'],
  options: {
    fixtures: { type: 'string', valueName: 'DIR', description: 'Fixtures root (default: ../shared/fixtures from the repository root)' },
    suite: { type: 'string', multiple: true, valueName: 'NAME', description: 'Run only this suite (repeatable)' },
  },
  async run(ctx) {
    const root = resolve(ctx.root, (ctx.values.fixtures as string | undefined) ?? '../shared/fixtures');
    if (!existsSync(root)) throw new UsageError(`fixtures folder ${root} does not exist`, 'pass --fixtures DIR pointing at the shared fixtures');
    const wanted = ctx.values.suite as string[] | undefined;
    for (const w of wanted ?? []) if (!suites.some((s) => s.name === w)) throw new UsageError(`unknown suite ${JSON.stringify(w)}`, `use one of: ${suites.map((s) => s.name).join(', ')}`);
    const results: SuiteResult[] = [];
    for (const s of suites.filter((x) => !wanted || wanted.includes(x.name))) {
      ctx.progress(`conformance: ${s.name} …`);
      const r = await s.run(root);
      results.push({ ...r, suite: s.name });
      if (!ctx.json) {
        ctx.stdout(`${s.name.padEnd(28)} ${String(r.passed).padStart(5)} passed  ${String(r.failed).padStart(4)} failed  ${String(r.skipped).padStart(4)} skipped\n`);
        for (const f of r.failures.slice(0, 20)) ctx.stdout(`    ✗ ${f}\n`);
        if (r.failures.length > 20) ctx.stdout(`    … and ${r.failures.length - 20} more\n`);
      }
    }
    const passed = results.reduce((n, r) => n + r.passed, 0);
    const failed = results.reduce((n, r) => n + r.failed, 0);
    if (ctx.json) ctx.stdout(`${JSON.stringify({ suites: results, passed, failed })}\n`);
    else ctx.stdout(`${passed} passed, ${failed} failed\n`);
    return failed > 0 ? 1 : 0;
  },
};
