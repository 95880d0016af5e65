/**
 * The `delivery` settings of an environment: how Argo CD delivers its rendering.
 *
 * The environment schema (src/config/schema.ts) does not know `delivery` yet, so this module reads
 * the key defensively: absent means every default below, and a wrong value is a problem naming the
 * file and pointer, never an exception. Once the schema validates the key, these checks only repeat
 * it.
 *
 *   delivery:
 *     targetRevision: release/production-0123456789ab   # default: see revision.ts
 *     manualSync: true                                   # production lock: may a person still sync?
 *     argocdNamespace: argocd                            # where the AppProject and Applications live
 *     syncWindows:                                       # extra windows, e.g. a weekend freeze
 *       - { kind: deny, schedule: "0 18 * * 5", duration: 60h, timeZone: Europe/Berlin }
 */
import type { Problem } from '../../util/errors.ts';

export type SyncWindowKind = 'allow' | 'deny';

/** An extra Argo CD sync window (AppProject `spec.syncWindows[]`). */
export interface SyncWindowSetting {
  readonly kind: SyncWindowKind;
  /** Cron schedule (5 fields) at which the window opens. */
  readonly schedule: string;
  /** How long it stays open, as a Go duration (`1h`, `60h30m`). */
  readonly duration: string;
  /** IANA time zone of `schedule`. @default 'UTC' */
  readonly timeZone: string;
  /** Whether manual syncs are allowed while the window blocks. @default false */
  readonly manualSync: boolean;
  /** Applications it applies to (globs). @default ['*'] (every Application of the environment) */
  readonly applications: readonly string[];
  readonly namespaces: readonly string[];
  readonly clusters: readonly string[];
  readonly description?: string;
}

export interface DeliverySettings {
  /**
   * Git revision Argo CD syncs. When unset: `main` for dev and staging, the content-addressed release
   * tag for production (revision.ts).
   */
  readonly targetRevision?: string;
  /**
   * Production lock: whether a person may still sync by hand while the deny window blocks every
   * automated sync. `true` lets an operator sync a promoted release; `false` is a hard freeze that
   * only a change to the AppProject lifts. @default true
   */
  readonly manualSync: boolean;
  /** Namespace of the Argo CD control plane, where the AppProject and Applications live. @default 'argocd' */
  readonly argocdNamespace: string;
  readonly syncWindows: readonly SyncWindowSetting[];
}

export const DEFAULT_ARGOCD_NAMESPACE = 'argocd';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** Go's time.ParseDuration syntax (without sign), which Argo CD uses for `duration`. */
const GO_DURATION = /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/;
const DELIVERY_KEYS = ['targetRevision', 'manualSync', 'argocdNamespace', 'syncWindows'];
const WINDOW_KEYS = ['kind', 'schedule', 'duration', 'timeZone', 'manualSync', 'applications', 'namespaces', 'clusters', 'description'];

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

const show = (v: unknown): string => JSON.stringify(v) ?? String(v);

/**
 * Reads `delivery` from an environment config. `file` is the environment file, for problem
 * locations. Unknown keys are problems too, so a misspelled `manualsync` is not silently ignored.
 */
export function readDeliverySettings(config: { readonly delivery?: unknown }, file: string): { settings: DeliverySettings; problems: Problem[] } {
  const problems: Problem[] = [];
  const at = (pointer: string, message: string, fix: string): void => void problems.push({ file, pointer, message, fix, code: 'argocd/settings' });
  const raw = config.delivery;
  const defaults: DeliverySettings = { manualSync: true, argocdNamespace: DEFAULT_ARGOCD_NAMESPACE, syncWindows: [] };
  if (raw === undefined || raw === null) return { settings: defaults, problems };
  if (!isRecord(raw)) {
    at('/delivery', `must be a mapping, got ${show(raw)}`, 'write e.g. "delivery: { manualSync: true }" or remove the key');
    return { settings: defaults, problems };
  }
  for (const key of Object.keys(raw).sort()) {
    if (!DELIVERY_KEYS.includes(key)) at(`/delivery/${key}`, `unknown setting ${show(key)}`, `use one of: ${DELIVERY_KEYS.join(', ')}`);
  }
  let targetRevision: string | undefined;
  if (raw.targetRevision !== undefined) {
    if (typeof raw.targetRevision === 'string' && raw.targetRevision.trim() !== '') targetRevision = raw.targetRevision;
    else at('/delivery/targetRevision', `must be a non-empty string, got ${show(raw.targetRevision)}`, 'name a tag or a commit, e.g. "release/production-0123456789ab"');
  }
  let manualSync = defaults.manualSync;
  if (raw.manualSync !== undefined) {
    if (typeof raw.manualSync === 'boolean') manualSync = raw.manualSync;
    else at('/delivery/manualSync', `must be true or false, got ${show(raw.manualSync)}`, 'write true (operators may sync a promoted release) or false (hard freeze)');
  }
  let argocdNamespace = defaults.argocdNamespace;
  if (raw.argocdNamespace !== undefined) {
    if (typeof raw.argocdNamespace === 'string' && DNS_LABEL.test(raw.argocdNamespace) && raw.argocdNamespace.length <= 63) argocdNamespace = raw.argocdNamespace;
    else at('/delivery/argocdNamespace', `must be a namespace name (lowercase letters, digits, "-"), got ${show(raw.argocdNamespace)}`, 'e.g. "argocd"');
  }
  const syncWindows: SyncWindowSetting[] = [];
  if (raw.syncWindows !== undefined) {
    if (!Array.isArray(raw.syncWindows)) {
      at('/delivery/syncWindows', `must be a list, got ${show(raw.syncWindows)}`, 'write a list of { kind, schedule, duration }');
    } else {
      raw.syncWindows.forEach((w, i) => {
        const window = readWindow(w, `/delivery/syncWindows/${i}`, at);
        if (window) syncWindows.push(window);
      });
    }
  }
  return { settings: { ...(targetRevision !== undefined ? { targetRevision } : {}), manualSync, argocdNamespace, syncWindows }, problems };
}

function readWindow(w: unknown, pointer: string, at: (pointer: string, message: string, fix: string) => void): SyncWindowSetting | undefined {
  if (!isRecord(w)) {
    at(pointer, `must be a mapping, got ${show(w)}`, 'write { kind: deny, schedule: "0 18 * * 5", duration: 60h }');
    return undefined;
  }
  let ok = true;
  const fail = (field: string, message: string, fix: string): void => {
    ok = false;
    at(`${pointer}/${field}`, message, fix);
  };
  for (const key of Object.keys(w).sort()) {
    if (!WINDOW_KEYS.includes(key)) fail(key, `unknown sync window field ${show(key)}`, `use one of: ${WINDOW_KEYS.join(', ')}`);
  }
  if (w.kind !== 'allow' && w.kind !== 'deny') fail('kind', `must be "allow" or "deny", got ${show(w.kind)}`, 'a deny window blocks syncs, an allow window permits them only while open');
  if (typeof w.schedule !== 'string' || w.schedule.trim().split(/\s+/).length !== 5) {
    fail('schedule', `must be a cron schedule with 5 fields (minute hour day-of-month month day-of-week), got ${show(w.schedule)}`, 'e.g. "0 18 * * 5" (Fridays 18:00)');
  }
  if (typeof w.duration !== 'string' || !GO_DURATION.test(w.duration)) fail('duration', `must be a duration like "1h" or "60h30m", got ${show(w.duration)}`, 'use the units h, m and s');
  if (w.timeZone !== undefined && (typeof w.timeZone !== 'string' || w.timeZone === '')) fail('timeZone', `must be an IANA time zone name, got ${show(w.timeZone)}`, 'e.g. "Europe/Berlin"; the default is UTC');
  if (w.manualSync !== undefined && typeof w.manualSync !== 'boolean') fail('manualSync', `must be true or false, got ${show(w.manualSync)}`, 'true lets a person sync while the window blocks');
  if (w.description !== undefined && typeof w.description !== 'string') fail('description', `must be a string, got ${show(w.description)}`, 'e.g. "weekend freeze"');
  const lists: Record<string, string[]> = {};
  for (const field of ['applications', 'namespaces', 'clusters']) {
    const v = w[field];
    if (v === undefined) continue;
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' || x === '')) fail(field, `must be a list of names or globs, got ${show(v)}`, 'e.g. ["*"]');
    else lists[field] = [...(v as string[])];
  }
  if (!ok) return undefined;
  const matchesSomething = ['applications', 'namespaces', 'clusters'].some((f) => (lists[f]?.length ?? 0) > 0);
  return {
    kind: w.kind as SyncWindowKind,
    schedule: (w.schedule as string).trim().split(/\s+/).join(' '),
    duration: w.duration as string,
    timeZone: (w.timeZone as string | undefined) ?? 'UTC',
    manualSync: (w.manualSync as boolean | undefined) ?? false,
    // Argo CD refuses a window that names no application, namespace or cluster; the AppProject is
    // per environment, so "every Application" is the natural default.
    applications: lists.applications ?? (matchesSomething ? [] : ['*']),
    namespaces: lists.namespaces ?? [],
    clusters: lists.clusters ?? [],
    ...(w.description !== undefined ? { description: w.description as string } : {}),
  };
}
