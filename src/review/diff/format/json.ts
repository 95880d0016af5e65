/**
 * `--format json`: a stable schema (`schemaVersion` 1) for bots and later pipeline stages.
 * Keys are written in a fixed order; optional fields are `null` rather than absent, so consumers
 * see the same shape every time.
 */
import { objectId } from '../../../k8s/objects.ts';
import { hasChanges, type DiffReport, type Finding, type ObjectChange, type SideObject } from '../types.ts';
import { countsByClass, countsByKind, totals } from './summary.ts';

function objectEntry(o: SideObject) {
  const id = objectId(o.json);
  return { apiVersion: id.apiVersion, kind: id.kind, namespace: id.namespace ?? null, name: id.name, path: o.path, constructPath: o.constructPath, source: o.source ?? null };
}

function changeEntry(c: ObjectChange) {
  return { ...objectEntry(c.type === 'removed' ? c.before! : c.after!), pointers: [...c.pointers], diff: c.diff };
}

function findingEntry(f: Finding) {
  return {
    class: f.class,
    environment: f.environment,
    object: f.object ? { apiVersion: f.object.apiVersion, kind: f.object.kind, namespace: f.object.namespace ?? null, name: f.object.name } : null,
    change: f.change ?? null,
    constructPath: f.constructPath ?? null,
    source: f.source ?? null,
    pointer: f.pointer ?? null,
    message: f.message,
  };
}

export function diffJson(report: DiffReport): unknown {
  return {
    schemaVersion: 1,
    base: { rev: report.base.rev, commit: report.base.commit ?? null },
    head: { rev: report.head.rev, commit: report.head.commit ?? null },
    changed: hasChanges(report),
    environments: report.environments.map((e) => ({
      name: e.name,
      stage: e.stage,
      summary: {
        ...totals(e.changes),
        kinds: Object.fromEntries(countsByKind(e.changes)),
        findings: Object.fromEntries(countsByClass(e.findings)),
      },
      objects: {
        added: e.changes.filter((c) => c.type === 'added').map(changeEntry),
        removed: e.changes.filter((c) => c.type === 'removed').map(changeEntry),
        changed: e.changes.filter((c) => c.type === 'changed').map(changeEntry),
      },
      findings: e.findings.map(findingEntry),
    })),
  };
}

export function formatJson(report: DiffReport): string {
  return `${JSON.stringify(diffJson(report), null, 2)}\n`;
}
