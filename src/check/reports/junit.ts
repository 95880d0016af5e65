/**
 * JUnit XML (the subset GitLab and the GitHub JUnit actions read): a testsuite per environment ×
 * engine, a testcase per policy × resource (`classname` = policy, `name` = `Kind ns/name`, unique
 * so GitLab keeps them all). Only what fails the check is a `<failure>`/`<error>`: Audit, Warn and
 * Preview violations are listed in `<system-out>` of a passing testcase, as the check only warns.
 */
import type { CheckResult, PolicyEvaluation } from '../types.ts';
import { levelFor } from '../mode.ts';

function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '');
}

function objectName(e: PolicyEvaluation): string {
  return `${e.resource.kind} ${e.resource.namespace ? `${e.resource.namespace}/` : ''}${e.resource.name}`;
}

interface Case {
  readonly classname: string;
  readonly name: string;
  readonly evaluations: PolicyEvaluation[];
}

function describe(e: PolicyEvaluation): string {
  return `${e.rule} [${e.mode}]: ${e.message ?? e.result} (${e.file}${e.constructPath ? `, ${e.constructPath}` : ''})`;
}

export function toJunit(results: readonly CheckResult[]): string {
  const lines: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const suites: string[] = [];
  let total = 0;
  let totalFailures = 0;
  let totalErrors = 0;
  let totalSkipped = 0;
  for (const r of results) {
    const byEngine = new Map<string, Map<string, Case>>();
    const engineOf = new Map(r.policies.map((p) => [p.name, p.engine]));
    for (const e of r.evaluations) {
      const engine = engineOf.get(e.policy) ?? 'ValidatingPolicy';
      const cases = byEngine.get(engine) ?? new Map<string, Case>();
      // Kind, namespace and name identify an object in an environment, so classname + name is unique.
      const key = `${e.policy}\0${objectName(e)}`;
      const c = cases.get(key) ?? { classname: e.policy, name: objectName(e), evaluations: [] };
      c.evaluations.push(e);
      cases.set(key, c);
      byEngine.set(engine, cases);
    }
    for (const engine of [...byEngine.keys()].sort()) {
      const cases = [...byEngine.get(engine)!.values()];
      let failures = 0;
      let errors = 0;
      let skipped = 0;
      const body: string[] = [];
      for (const c of cases) {
        const failing = c.evaluations.filter((e) => e.result === 'fail' && levelFor(e.mode) === 'error');
        const erroring = c.evaluations.filter((e) => e.result === 'error' && levelFor(e.mode) === 'error');
        const noted = c.evaluations.filter((e) => (e.result === 'fail' || e.result === 'error') && levelFor(e.mode) !== 'error');
        const allSkipped = c.evaluations.every((e) => e.result === 'skip');
        body.push(`    <testcase classname="${xml(c.classname)}" name="${xml(c.name)}" time="0">`);
        if (erroring.length > 0) {
          errors++;
          body.push(`      <error message="${xml(erroring[0]!.message ?? 'error')}" type="${xml(erroring[0]!.mode)}">${xml(erroring.map(describe).join('\n'))}</error>`);
        } else if (failing.length > 0) {
          failures++;
          body.push(`      <failure message="${xml(failing[0]!.message ?? 'fail')}" type="${xml(failing[0]!.mode)}">${xml(failing.map(describe).join('\n'))}</failure>`);
        } else if (allSkipped) {
          skipped++;
          body.push(`      <skipped message="${xml(c.evaluations[0]!.message ?? 'not applicable')}"/>`);
        }
        if (noted.length > 0) body.push(`      <system-out>${xml(noted.map(describe).join('\n'))}</system-out>`);
        body.push('    </testcase>');
      }
      total += cases.length;
      totalFailures += failures;
      totalErrors += errors;
      totalSkipped += skipped;
      suites.push(`  <testsuite name="${xml(`${r.environment}/${engine}`)}" tests="${cases.length}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="0">`, ...body, '  </testsuite>');
    }
  }
  lines.push(`<testsuites name="lockstep check" tests="${total}" failures="${totalFailures}" errors="${totalErrors}" skipped="${totalSkipped}" time="0">`, ...suites, '</testsuites>');
  return `${lines.join('\n')}\n`;
}
