import type { SuiteResult } from '../../conformance/suite-result.ts';
/**
 * Conformance: replays Kyverno's pod-security test suites (kyverno/policies `pod-security/` and
 * `pod-security-vpol/`) against `checkPodSecurity`. Each Kyverno policy implements one PSS control;
 * a resource Kyverno expects to fail must produce a problem of the matching control, and one it
 * expects to pass must produce none.
 *
 * Only the fixtures root is read (passed in); nothing here is used by unit tests.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { parseAllDocuments, parse } from 'yaml';
import type { Problem } from '../../util/errors.ts';
import { checkPodSecurity } from './check.ts';
import type { PodSecurityControlId, PodSecurityLevel } from './controls.ts';

export type { SuiteResult } from '../../conformance/suite-result.ts';

interface Expectation {
  /** Level to run, and which problems count as "this policy failed". */
  readonly level: PodSecurityLevel;
  readonly matches: (p: Problem) => boolean;
}

const byControl = (...ids: PodSecurityControlId[]): ((p: Problem) => boolean) => (p) => ids.some((id) => p.code === `pod-security/${id}`);
const capabilityAdds = (p: Problem): boolean => p.code === 'pod-security/capabilities-restricted' && /\/capabilities\/add\/\d+$/.test(p.pointer ?? '');
const capabilityDrop = (p: Problem): boolean => p.code === 'pod-security/capabilities-restricted' && (p.pointer ?? '').endsWith('/capabilities/drop');
const seLinuxType = (p: Problem): boolean => p.code === 'pod-security/selinux' && (p.pointer ?? '').endsWith('/type');
const seLinuxUserRole = (p: Problem): boolean => p.code === 'pod-security/selinux' && /\/(user|role)$/.test(p.pointer ?? '');
const any = (): boolean => true;

/** Kyverno `policy` or `policy/rule` → which of our findings correspond. Unlisted ones are skipped. */
const EXPECTATIONS: Record<string, Expectation> = {
  'disallow-capabilities': { level: 'baseline', matches: byControl('capabilities-baseline') },
  'restrict-sysctls': { level: 'baseline', matches: byControl('sysctls') },
  'restrict-seccomp': { level: 'baseline', matches: byControl('seccomp-baseline') },
  'disallow-host-namespaces': { level: 'baseline', matches: byControl('host-namespaces') },
  'disallow-selinux/selinux-type': { level: 'baseline', matches: seLinuxType },
  'disallow-selinux/selinux-user-role': { level: 'baseline', matches: seLinuxUserRole },
  'disallow-selinux': { level: 'baseline', matches: byControl('selinux') },
  'disallow-host-process': { level: 'baseline', matches: byControl('windows-host-process') },
  'disallow-host-ports': { level: 'baseline', matches: byControl('host-ports') },
  'disallow-proc-mount': { level: 'baseline', matches: byControl('proc-mount') },
  'disallow-host-path': { level: 'baseline', matches: byControl('host-path-volumes') },
  'restrict-apparmor-profiles': { level: 'baseline', matches: byControl('apparmor') },
  'disallow-privileged-containers': { level: 'baseline', matches: byControl('privileged') },
  'require-run-as-non-root-user': { level: 'restricted', matches: byControl('run-as-user') },
  'restrict-seccomp-strict': { level: 'restricted', matches: byControl('seccomp-restricted') },
  'disallow-privilege-escalation': { level: 'restricted', matches: byControl('allow-privilege-escalation') },
  'require-run-as-nonroot': { level: 'restricted', matches: byControl('run-as-non-root') },
  'restrict-volume-types': { level: 'restricted', matches: byControl('volume-types') },
  'disallow-capabilities-strict/adding-capabilities-strict': { level: 'restricted', matches: capabilityAdds },
  'disallow-capabilities-strict/require-drop-all': { level: 'restricted', matches: capabilityDrop },
  // pod-security-vpol splits the strict capabilities policy in two ValidatingPolicies.
  'adding-capabilities-strict': { level: 'restricted', matches: capabilityAdds },
  'disallow-capabilities-strict': { level: 'restricted', matches: capabilityDrop },
  'podsecurity-subrule-baseline/baseline': { level: 'baseline', matches: any },
  'podsecurity-subrule-restricted/restricted': { level: 'restricted', matches: any },
};

interface TestResult {
  policy?: string;
  rule?: string;
  kind?: string;
  resources?: string[];
  resource?: string;
  result?: string;
}

function* findTests(dir: string): Generator<string> {
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) yield* findTests(path);
    else if (entry === 'kyverno-test.yaml') yield path;
  }
}

type Resource = Record<string, unknown> & { kind?: string; metadata?: { name?: string } };

function loadResources(testDir: string, files: readonly string[]): Resource[] {
  const out: Resource[] = [];
  for (const file of files) {
    const path = join(testDir, file);
    if (!existsSync(path)) continue;
    for (const doc of parseAllDocuments(readFileSync(path, 'utf8'))) {
      const value = doc.toJS() as unknown;
      if (value && typeof value === 'object') out.push(value as Resource);
    }
  }
  return out;
}

function runSuite(root: string, suite: string): SuiteResult {
  const result: SuiteResult = { suite, passed: 0, failed: 0, skipped: 0, failures: [] };
  const suiteDir = join(root, 'policy', 'kyverno-policies', suite);
  if (!existsSync(suiteDir)) {
    result.failures.push(`${suiteDir}: fixtures not found`);
    result.failed++;
    return result;
  }
  for (const testFile of findTests(suiteDir)) {
    const testDir = dirname(testFile);
    const test = parse(readFileSync(testFile, 'utf8')) as { resources?: string[]; results?: TestResult[] };
    const resources = loadResources(testDir, test.resources ?? []);
    for (const r of test.results ?? []) {
      const names = r.resources ?? (r.resource ? [r.resource] : []);
      const expectation = (r.rule && EXPECTATIONS[`${r.policy}/${r.rule}`]) || EXPECTATIONS[r.policy ?? ''];
      if (!expectation || (r.result !== 'pass' && r.result !== 'fail')) {
        result.skipped += names.length;
        continue;
      }
      for (const name of names) {
        const resource = resources.find((o) => o.metadata?.name === name && (!r.kind || o.kind === r.kind));
        const where = `${relative(root, testFile)}: ${r.policy}${r.rule ? `/${r.rule}` : ''} ${r.kind ?? ''} ${name}`;
        if (!resource) {
          result.skipped++;
          continue;
        }
        const found = checkPodSecurity(resource, expectation.level).filter(expectation.matches);
        const verdict = found.length > 0 ? 'fail' : 'pass';
        if (verdict === r.result) {
          result.passed++;
        } else {
          result.failed++;
          result.failures.push(`${where}: expected ${r.result}, got ${verdict}${found.length > 0 ? ` (${found.map((p) => `${p.code} ${p.pointer}`).join('; ')})` : ''}`);
        }
      }
    }
  }
  return result;
}

/** Replays both Kyverno pod-security suites found under `fixturesRoot` (e.g. `/work/shared/fixtures`). */
export function runPodSecurityConformance(fixturesRoot: string): SuiteResult[] {
  return ['pod-security', 'pod-security-vpol'].map((suite) => runSuite(fixturesRoot, suite));
}
