/**
 * SARIF 2.1.0 for GitHub code scanning: one run per environment (`runAutomationDetails.id`
 * `lockstep/<env>/`, so uploads of several environments do not replace each other), one rule per
 * policy rule (`<policy>/<rule>`, stable across runs), one result per failure, located at the
 * committed manifest file, with the construct path as a logical location.
 */
import { createHash } from 'node:crypto';
import type { CheckResult, Finding, PolicyInfo, PolicySeverity } from '../types.ts';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

export interface SarifOptions {
  /** Lockstep's version, for `tool.driver.semanticVersion`. */
  readonly toolVersion?: string;
  /** Where the documentation of a policy lives, for `helpUri`. */
  readonly helpUri?: (policy: PolicyInfo) => string | undefined;
}

const SECURITY_SEVERITY: Record<PolicySeverity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0' };

function sarifLevel(f: Pick<Finding, 'level'>): 'error' | 'warning' | 'note' {
  return f.level === 'error' ? 'error' : f.level === 'warning' ? 'warning' : 'note';
}

function ruleId(policy: string, rule: string): string {
  return policy === rule ? policy : `${policy}/${rule}`;
}

function rulesOf(result: CheckResult, options: SarifOptions): Record<string, unknown>[] {
  const rules = new Map<string, Record<string, unknown>>();
  const add = (p: PolicyInfo, rule: string) => {
    const id = ruleId(p.name, rule);
    if (rules.has(id)) return;
    const help = options.helpUri?.(p);
    const level = p.mode === 'Deny' ? 'error' : p.mode === 'Preview' ? 'note' : 'warning';
    rules.set(id, {
      id,
      name: id.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : '')),
      shortDescription: { text: `${p.title}: ${rule}`.slice(0, 1024) },
      fullDescription: { text: (p.description || p.title).slice(0, 1024) },
      help: { text: `${p.description || p.title} Mode in this environment: ${p.mode}. Policy file: ${p.file}.` },
      ...(help ? { helpUri: help } : {}),
      defaultConfiguration: { level },
      properties: { tags: ['kubernetes', 'kyverno', p.category], precision: 'very-high', 'problem.severity': level === 'note' ? 'recommendation' : level, 'security-severity': SECURITY_SEVERITY[p.severity] },
    });
  };
  for (const p of result.policies) for (const r of p.rules.length > 0 ? p.rules : [p.name]) add(p, r);
  // Results may name rules the policy info does not list (e.g. a whole-policy error).
  for (const f of result.findings) {
    const p = result.policies.find((x) => x.name === f.policy);
    if (p) add(p, f.rule);
  }
  return [...rules.values()].sort((a, b) => ((a.id as string) < (b.id as string) ? -1 : 1));
}

function sarifResult(f: Finding, ruleIndex: Map<string, number>): Record<string, unknown> {
  const id = ruleId(f.policy, f.rule);
  const object = `${f.resource.kind} ${f.resource.namespace ? `${f.resource.namespace}/` : ''}${f.resource.name}`;
  return {
    ruleId: id,
    ...(ruleIndex.has(id) ? { ruleIndex: ruleIndex.get(id) } : {}),
    level: sarifLevel(f),
    message: { text: `${object}: ${f.message ?? f.result} (mode ${f.mode}${f.constructPath ? `, construct ${f.constructPath}` : ''})` },
    locations: [
      {
        physicalLocation: { artifactLocation: { uri: f.file }, region: { startLine: 1 } },
        ...(f.constructPath ? { logicalLocations: [{ fullyQualifiedName: f.constructPath, kind: 'module' }] } : {}),
      },
    ],
    partialFingerprints: { 'lockstep/v1': createHash('sha256').update(`${id}\0${f.file}\0${object}`).digest('hex') },
    properties: { mode: f.mode, result: f.result, ...(f.autogen ? { autogen: f.autogen } : {}) },
  };
}

/** One SARIF log with a run per environment. */
export function toSarif(results: readonly CheckResult[], options: SarifOptions = {}): Record<string, unknown> {
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: results.map((r) => {
      const rules = rulesOf(r, options);
      const index = new Map(rules.map((x, i) => [x.id as string, i]));
      return {
        tool: { driver: { name: 'lockstep', informationUri: 'https://github.com/lockstep-dev/lockstep', ...(options.toolVersion ? { semanticVersion: options.toolVersion } : {}), rules } },
        automationDetails: { id: `lockstep/${r.environment}/` },
        results: r.findings.map((f) => sarifResult(f, index)),
      };
    }),
  };
}

export function sarifJson(results: readonly CheckResult[], options: SarifOptions = {}): string {
  return `${JSON.stringify(toSarif(results, options), null, 2)}\n`;
}
