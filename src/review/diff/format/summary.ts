import { RISK_CLASSES, type ChangeType, type EnvironmentDiff, type Finding, type ObjectChange, type RiskClass } from '../types.ts';

export interface KindCounts {
  readonly added: number;
  readonly removed: number;
  readonly changed: number;
}

/** Added/removed/changed per kind, kinds sorted. */
export function countsByKind(changes: readonly ObjectChange[]): [string, KindCounts][] {
  const m = new Map<string, Record<ChangeType, number>>();
  for (const c of changes) {
    const kind = String((c.after ?? c.before)!.json.kind);
    const row = m.get(kind) ?? { added: 0, removed: 0, changed: 0 };
    row[c.type]++;
    m.set(kind, row);
  }
  return [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

export function totals(changes: readonly ObjectChange[]): KindCounts {
  return {
    added: changes.filter((c) => c.type === 'added').length,
    removed: changes.filter((c) => c.type === 'removed').length,
    changed: changes.filter((c) => c.type === 'changed').length,
  };
}

/** Findings per class, in class order, only classes with findings. */
export function countsByClass(findings: readonly Finding[]): [RiskClass, number][] {
  return RISK_CLASSES.map((c) => [c, findings.filter((f) => f.class === c).length] as [RiskClass, number]).filter(([, n]) => n > 0);
}

export const CLASS_ICONS: Readonly<Record<RiskClass, string>> = {
  'production-touched': '🚨',
  irreversible: '⛔',
  'rbac-broadened': '🔑',
  'network-opened': '🌐',
  'security-weakened': '🛡️',
  'policy-relaxed': '⚖️',
  'image-changed': '📦',
};

/** `Kind namespace/name` of a finding's or change's object. */
export function objectName(o: { kind: string; namespace?: string; name: string }): string {
  return `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`;
}

export function changeObjectName(c: ObjectChange): string {
  const j = (c.after ?? c.before)!.json;
  return objectName({ kind: String(j.kind), ...(j.metadata?.namespace ? { namespace: String(j.metadata.namespace) } : {}), name: String(j.metadata?.name) });
}

export function sourceText(s: { file: string; line: number } | undefined): string | undefined {
  return s ? `${s.file}:${s.line}` : undefined;
}

export function allFindings(envs: readonly EnvironmentDiff[]): Finding[] {
  return envs.flatMap((e) => e.findings);
}
