/**
 * The data model of `lockstep diff`: two renderings of the same environments (base and head),
 * matched object by object, and the risk findings a reviewer must see first.
 */
import type { KubeJson } from '../../k8s/objects.ts';

/** Where in the platform code an object's construct was created, repository-relative. */
export interface SourceRef {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** One rendered object of one side (base or head). */
export interface SideObject {
  readonly json: KubeJson;
  /** Path relative to `dist/<env>/`, e.g. `manifests/kgents-agents/deployment_planner.yaml`. */
  readonly path: string;
  readonly constructPath: string;
  readonly source?: SourceRef;
}

/** One environment rendered on one side, without gates (a diff must show what gates would refuse). */
export interface SideEnvironment {
  readonly name: string;
  readonly stage: string;
  readonly objects: readonly SideObject[];
  /** The environment's promotion lock (`environments/<env>.lock.yaml`), when the side has one. */
  readonly lock?: LockInfo;
}

/** What the diff needs to know about a promotion lock file. */
export interface LockInfo {
  /** Repository-relative path. */
  readonly file: string;
  /** The file's text, compared byte for byte between sides. */
  readonly text: string;
  /** Id of the release the lock pins (`current.id`). */
  readonly releaseId?: string;
  /** `current.breakGlass.reason` when the promotion was a break-glass one. */
  readonly breakGlassReason?: string;
}

/** Identity of an object in a cluster. */
export interface ObjectRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
}

export type ChangeType = 'added' | 'removed' | 'changed';

/** One object that differs between base and head. */
export interface ObjectChange {
  /** `group/kind/namespace/name`, see `objectKey`. */
  readonly key: string;
  readonly type: ChangeType;
  readonly before?: SideObject;
  readonly after?: SideObject;
  /** JSON pointers of the changed fields (changed objects only), sorted. */
  readonly pointers: readonly string[];
  /** Unified diff of the YAML of both sides. */
  readonly diff: string;
}

/** Risk classes, in the order reports list them (most urgent first). */
export const RISK_CLASSES = [
  'production-touched',
  'irreversible',
  'rbac-broadened',
  'network-opened',
  'security-weakened',
  'policy-relaxed',
  'image-changed',
] as const;

export type RiskClass = (typeof RISK_CLASSES)[number];

/** What a classification function returns for one object change: the class, where, and why. */
export interface RiskNote {
  readonly class: RiskClass;
  /** JSON pointer inside the object, when the risk is one field. */
  readonly pointer?: string;
  readonly message: string;
}

/** A risk note placed: environment, object, construct path and the code line that produced it. */
export interface Finding extends RiskNote {
  readonly environment: string;
  readonly object?: ObjectRef;
  readonly change?: ChangeType;
  readonly constructPath?: string;
  /** Head side for added and changed objects, base side for removed ones. */
  readonly source?: SourceRef;
}

/** The diff of one environment. */
export interface EnvironmentDiff {
  readonly name: string;
  readonly stage: string;
  /** Changes sorted by output path. */
  readonly changes: readonly ObjectChange[];
  readonly findings: readonly Finding[];
  /** The head's objects, for the network graph. */
  readonly headObjects: readonly SideObject[];
}

/** Which revision a side was rendered from. */
export interface SideLabel {
  /** What the user asked for (`origin/main`, `HEAD~1`) or `working tree`. */
  readonly rev: string;
  /** Resolved commit, when the side is a commit. */
  readonly commit?: string;
}

export interface DiffReport {
  readonly base: SideLabel;
  readonly head: SideLabel;
  readonly environments: readonly EnvironmentDiff[];
}

/** True when any environment has an added, removed or changed object. */
export function hasChanges(report: DiffReport): boolean {
  return report.environments.some((e) => e.changes.length > 0);
}
