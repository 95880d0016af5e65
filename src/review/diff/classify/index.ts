import type { KubeJson } from '../../../k8s/objects.ts';
import { RISK_CLASSES, type Finding, type LockInfo, type ObjectChange, type RiskNote } from '../types.ts';
import { classifyImages } from './image.ts';
import { classifyIrreversible } from './irreversible.ts';
import { classifyNetwork } from './network.ts';
import { placeNote } from './place.ts';
import { classifyPolicy } from './policy.ts';
import { classifyProduction } from './production.ts';
import { classifyRbac } from './rbac.ts';
import { classifySecurity } from './security.ts';

/** A pure classification function: the two sides of one object in, risk notes out. */
export type Classifier = (before: KubeJson | undefined, after: KubeJson | undefined) => RiskNote[];

/** Every per-object classifier. Production-touched needs the whole environment and runs separately. */
export const objectClassifiers: readonly Classifier[] = [classifyIrreversible, classifyRbac, classifyNetwork, classifySecurity, classifyPolicy, classifyImages];

/** The findings of one object change. */
export function classifyChange(environment: string, change: ObjectChange): Finding[] {
  return objectClassifiers.flatMap((f) => f(change.before?.json, change.after?.json)).map((n) => placeNote(environment, change, n));
}

function objectLabel(f: Finding): string {
  return f.object ? `${f.object.kind}/${f.object.namespace ?? ''}/${f.object.name}` : '';
}

/** Findings in report order: class, then object, then pointer and message. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  const rank = (f: Finding) => RISK_CLASSES.indexOf(f.class);
  const key = (f: Finding) => `${objectLabel(f)}\u0000${f.pointer ?? ''}\u0000${f.message}`;
  return [...findings].sort((a, b) => rank(a) - rank(b) || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** All findings of one environment, sorted. */
export function classifyEnvironment(input: { environment: string; stage: string; changes: readonly ObjectChange[]; baseLock?: LockInfo; headLock?: LockInfo }): Finding[] {
  return sortFindings([...input.changes.flatMap((c) => classifyChange(input.environment, c)), ...classifyProduction(input)]);
}
