import { objectKey } from '../../k8s/objects.ts';
import { toYaml } from '../../synth/serialize.ts';
import { unifiedDiff } from './line-diff.ts';
import type { ObjectChange, SideObject } from './types.ts';

/** Deep equality of JSON values; the order of map keys does not matter, the order of lists does. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => jsonEqual(x, bb[i]));
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** Escapes one JSON pointer token (RFC 6901). */
export function pointerToken(key: string | number): string {
  return String(key).replace(/~/g, '~0').replace(/\//g, '~1');
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * JSON pointers of the fields that differ, as deep as both sides have the same shape: a changed
 * scalar, an added or removed key, a list element. Sorted.
 */
export function changedPointers(before: unknown, after: unknown, at = ''): string[] {
  if (jsonEqual(before, after)) return [];
  if (isMap(before) && isMap(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => changedPointers(before[k], after[k], `${at}/${pointerToken(k)}`));
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const out: string[] = [];
    for (let i = 0; i < Math.max(before.length, after.length); i++) {
      if (i >= before.length || i >= after.length) out.push(`${at}/${i}`);
      else out.push(...changedPointers(before[i], after[i], `${at}/${i}`));
    }
    return out;
  }
  return [at];
}

/** Sorts a JSON value's map keys, so the YAML of both sides lines up whatever order they came in. */
export function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (!isMap(v)) return v;
  return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys(v[k])]));
}

/** The YAML a reviewer reads for one object (the same serializer synth uses, keys sorted). */
export function objectYaml(o: SideObject | undefined): string {
  return o ? toYaml(sortKeys(o.json)) : '';
}

/**
 * Matches the objects of both sides by apiVersion group, kind, namespace and name (a version bump
 * of the same group is a change, not a remove and an add) and returns what differs, sorted by
 * output path. Objects whose JSON is equal up to map key order are unchanged.
 */
export function matchObjects(base: readonly SideObject[], head: readonly SideObject[], context = 3): ObjectChange[] {
  const before = new Map(base.map((o) => [objectKey(o.json), o]));
  const after = new Map(head.map((o) => [objectKey(o.json), o]));
  const changes: ObjectChange[] = [];
  for (const key of new Set([...before.keys(), ...after.keys()])) {
    const b = before.get(key);
    const a = after.get(key);
    if (b && a && jsonEqual(b.json, a.json)) continue;
    const type = !b ? 'added' : !a ? 'removed' : 'changed';
    const diff = unifiedDiff(objectYaml(b), objectYaml(a), { before: b ? `base/${b.path}` : '/dev/null', after: a ? `head/${a.path}` : '/dev/null' }, context);
    changes.push({ key, type, ...(b ? { before: b } : {}), ...(a ? { after: a } : {}), pointers: type === 'changed' ? changedPointers(b!.json, a!.json) : [], diff });
  }
  const pathOf = (c: ObjectChange) => (c.after ?? c.before)!.path;
  return changes.sort((x, y) => (pathOf(x) < pathOf(y) ? -1 : pathOf(x) > pathOf(y) ? 1 : x.key < y.key ? -1 : 1));
}
