/**
 * Kyverno `validate.pattern` matching, a port of `pkg/engine/validate/validate.go`,
 * `pkg/engine/anchor/{handlers,anchormap}.go` and `pkg/engine/wildcards` (hand-written: no library
 * implements Kyverno's overlay-pattern semantics).
 *
 * - A map is checked in two phases: its anchors (`(k)`, `^(k)`, `=(k)`, `X(k)`, sorted by key), then
 *   its other keys (sorted; keys whose pattern holds anchors, and global anchors `<(k)`, go first).
 * - An array pattern whose first element is a map applies that map to every element; a scalar
 *   pattern against an array applies to every element.
 * - A failed conditional or global anchor makes the rule *skip*; a matched negation anchor fails it.
 * - `"*"` means "present and not null". Wildcard keys under `metadata.labels`/`annotations` are
 *   expanded against the resource's keys.
 * Patterns are compiled once (anchors parsed, keys ordered); only variable substitution and the
 * metadata wildcard expansion happen per resource.
 */
import { anchorString, isPhaseOneAnchor, isTrackedAnchor, parseAnchor, type Anchor } from './anchor.ts';
import { matchValue } from './value-pattern.ts';
import { wildcardMatch } from '../json/functions/wildcard.ts';

export type PatternNode =
  | { readonly t: 'map'; readonly raw: Readonly<Record<string, unknown>>; readonly phaseOne: readonly MapEntry[]; readonly rest: readonly MapEntry[]; readonly tracked: readonly MapEntry[]; readonly metadataKey: string | undefined }
  | { readonly t: 'array'; readonly items: readonly PatternNode[] }
  | { readonly t: 'scalar'; readonly value: unknown };

export interface MapEntry {
  readonly raw: string;
  readonly anchor: Anchor | undefined;
  readonly node: PatternNode;
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function hasNestedAnchors(v: unknown): boolean {
  if (Array.isArray(v)) return v.some(hasNestedAnchors);
  if (!isMap(v)) return false;
  return Object.keys(v).some((k) => {
    const a = parseAnchor(k);
    return a !== undefined && a.type !== 'add';
  }) || Object.values(v).some(hasNestedAnchors);
}

const byKey = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Pre-processes a pattern tree (anchors parsed, evaluation order fixed). */
export function compilePattern(pattern: unknown): PatternNode {
  if (Array.isArray(pattern)) return { t: 'array', items: pattern.map(compilePattern) };
  if (!isMap(pattern)) return { t: 'scalar', value: pattern ?? null };
  const keys = Object.keys(pattern).sort(byKey);
  const entries = keys.map((raw) => ({ raw, anchor: parseAnchor(raw), node: compilePattern(pattern[raw]) }));
  const phaseOne = entries.filter((e) => isPhaseOneAnchor(e.anchor));
  // getSortedNestedAnchorResource: sorted keys, pushing global anchors and keys with nested anchors to the front.
  const rest: MapEntry[] = [];
  for (const e of entries) {
    if (isPhaseOneAnchor(e.anchor)) continue;
    if (e.anchor?.type === 'global' || hasNestedAnchors(pattern[e.raw])) rest.unshift(e);
    else rest.push(e);
  }
  const metadataKey = keys.find((k) => k === 'metadata' || parseAnchor(k)?.key === 'metadata');
  return { t: 'map', raw: pattern, phaseOne, rest, tracked: entries.filter((e) => isTrackedAnchor(e.anchor)), metadataKey };
}

type ErrorKind = 'conditional' | 'global' | 'negation' | 'skip' | 'plain';

class PatternFailure {
  constructor(
    readonly kind: ErrorKind,
    readonly message: string,
    readonly path: string,
  ) {}
}

const isSkip = (e: PatternFailure): boolean => e.kind === 'conditional' || e.kind === 'global' || e.kind === 'skip';

/** Which tracked anchor keys (`(k)`, `^(k)`, `X(k)`) were seen in the resource (`AnchorMap`). */
class AnchorMap {
  private readonly seen = new Map<string, boolean>();

  check(node: Extract<PatternNode, { t: 'map' }>, resource: unknown): void {
    for (const e of node.tracked) {
      if (this.seen.get(e.raw) === true) continue;
      if (!this.seen.has(e.raw)) this.seen.set(e.raw, false);
      if (hasValueForKey(resource, e.anchor!.key)) this.seen.set(e.raw, true);
    }
  }

  keysAreMissing(): boolean {
    return [...this.seen.values()].some((v) => !v);
  }
}

function hasValueForKey(resource: unknown, key: string): boolean {
  if (Array.isArray(resource)) return resource.some((r) => hasValueForKey(r, key));
  return isMap(resource) && Object.hasOwn(resource, key);
}

export type PatternResult =
  | { readonly status: 'pass' }
  | { readonly status: 'skip'; readonly message: string }
  | { readonly status: 'fail'; readonly path: string; readonly message: string }
  /** Kyverno reports a pattern error without a path (a tracked anchor key is absent) as a rule error. */
  | { readonly status: 'error'; readonly message: string };

/** `validate.MatchPattern`: matches `resource` against a compiled pattern from the root `/`. */
export function matchPattern(resource: unknown, pattern: PatternNode): PatternResult {
  const ac = new AnchorMap();
  const err = validateElement(resource, pattern, '/', ac);
  if (!err) return { status: 'pass' };
  if (isSkip(err)) return { status: 'skip', message: err.message };
  if (err.kind === 'negation') return { status: 'fail', path: err.path, message: err.message };
  if (ac.keysAreMissing() || err.path === '') return { status: 'error', message: err.message };
  return { status: 'fail', path: err.path, message: err.message };
}

function typeName(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return '[]interface {}';
  if (isMap(v)) return 'map[string]interface {}';
  return typeof v === 'number' ? (Number.isInteger(v) ? 'int64' : 'float64') : typeof v;
}

function validateElement(resource: unknown, pattern: PatternNode, path: string, ac: AnchorMap): PatternFailure | undefined {
  switch (pattern.t) {
    case 'map':
      if (!isMap(resource)) {
        return new PatternFailure('plain', `pattern and resource have different structures. Path: ${path}. Expected map[string]interface {}, found ${typeName(resource)}`, path);
      }
      ac.check(pattern, resource);
      return validateMap(resource, pattern, path, ac);
    case 'array':
      if (!Array.isArray(resource)) {
        return new PatternFailure('plain', `validation rule failed at path ${path}, resource does not satisfy the expected overlay pattern`, path);
      }
      return validateArray(resource, pattern.items, path, ac);
    case 'scalar': {
      const values = Array.isArray(resource) ? resource : [resource];
      if (values.every((v) => matchValue(v, pattern.value))) return undefined;
      return new PatternFailure('plain', `resource value '${JSON.stringify(resource ?? null)}' does not match '${String(pattern.value)}' at path ${path}`, path);
    }
  }
}

function validateMap(resource: Record<string, unknown>, node: Extract<PatternNode, { t: 'map' }>, path: string, ac: AnchorMap): PatternFailure | undefined {
  const pattern = node.metadataKey !== undefined ? expandInMetadata(node, resource) : node;
  for (const e of pattern.phaseOne) {
    const err = handle(e, resource, path, ac);
    if (err) return err;
  }
  for (const e of pattern.rest) {
    const err = handle(e, resource, path, ac);
    if (err) return err;
  }
  return undefined;
}

function handle(e: MapEntry, resource: Record<string, unknown>, path: string, ac: AnchorMap): PatternFailure | undefined {
  const a = e.anchor;
  if (!a || a.type === 'add') {
    // Plain key (and `+(k)`, which has no validate meaning and is looked up literally, as in Go).
    const current = `${path}${e.raw}/`;
    const value = resource[e.raw];
    if (e.node.t === 'scalar' && e.node.value === '*') {
      return value !== null && value !== undefined ? undefined : new PatternFailure('plain', `${path}/${e.raw} not found`, path);
    }
    return validateElement(value ?? null, e.node, current, ac);
  }
  const current = `${path}${a.key}/`;
  const present = Object.hasOwn(resource, a.key);
  const value = resource[a.key];
  switch (a.type) {
    case 'negation':
      return present ? new PatternFailure('negation', `negation anchor matched in resource: ${current} is not allowed`, current) : undefined;
    case 'equality':
      return present ? validateElement(value, e.node, current, ac) : undefined;
    case 'condition': {
      if (!present) return new PatternFailure('conditional', "conditional anchor mismatch: conditional anchor key doesn't exist in the resource", current);
      const err = validateElement(value, e.node, current, ac);
      return err ? new PatternFailure('conditional', `conditional anchor mismatch: ${err.message}`, err.path) : undefined;
    }
    case 'global': {
      if (!present) return undefined;
      const err = validateElement(value, e.node, current, ac);
      return err ? new PatternFailure('global', `global anchor mismatch: ${err.message}`, err.path) : undefined;
    }
    case 'existence':
      return present ? validateExistence(value, e.node, current, ac) : undefined;
    default:
      return undefined;
  }
}

function validateExistence(value: unknown, pattern: PatternNode, path: string, ac: AnchorMap): PatternFailure | undefined {
  if (!Array.isArray(value)) {
    return new PatternFailure('plain', `invalid resource type ${typeName(value)}: Existence ^ () anchor can be used only on list/array type resource`, path);
  }
  if (pattern.t !== 'array') return new PatternFailure('plain', 'invalid pattern type: Pattern has to be of list to compare against resource', path);
  for (const item of pattern.items) {
    if (item.t !== 'map') return new PatternFailure('plain', 'invalid pattern type: Pattern has to be of type map to compare against items in resource', path);
    const found = value.some((element, i) => validateElement(element, item, `${path}${i}/`, ac) === undefined);
    if (!found) return new PatternFailure('plain', `existence anchor validation failed at path ${path}`, path);
  }
  return undefined;
}

function validateArray(resource: readonly unknown[], items: readonly PatternNode[], path: string, ac: AnchorMap): PatternFailure | undefined {
  const first = items[0];
  if (!first) return new PatternFailure('plain', 'pattern Array empty', path);
  if (first.t === 'map') return validateEach(resource.map((r, i) => () => validateElement(r, first, `${path}${i}/`, ac)), path);
  if (first.t === 'scalar') return validateElement(resource, first, path, ac);
  if (resource.length < items.length) {
    return new PatternFailure('plain', `validate Array failed, array length mismatch, resource Array len is ${resource.length} and pattern Array len is ${items.length}`, '');
  }
  return validateEach(items.map((p, i) => () => validateElement(resource[i], p, `${path}${i}/`, ac)), path);
}

/** Elements whose conditional anchors fail are skipped; when every element is skipped the array is. */
function validateEach(checks: readonly (() => PatternFailure | undefined)[], path: string): PatternFailure | undefined {
  let applied = 0;
  const skipped: PatternFailure[] = [];
  for (const check of checks) {
    const err = check();
    if (!err) applied += 1;
    else if (isSkip(err)) skipped.push(err);
    else return err;
  }
  if (applied === 0 && skipped.length > 0) return new PatternFailure('skip', skipped.map((e) => e.message).join('; '), path);
  return undefined;
}

const hasWildcard = (s: string): boolean => s.includes('*') || s.includes('?');

/**
 * `wildcards.ExpandInMetadata`: wildcard keys of `metadata.labels`/`annotations` are replaced by the
 * resource keys they match. Kyverno picks one arbitrary match (Go map order); this port expands to
 * every match so the result does not depend on iteration order.
 */
function expandInMetadata(node: Extract<PatternNode, { t: 'map' }>, resource: Record<string, unknown>): Extract<PatternNode, { t: 'map' }> {
  const resourceMetadata = resource.metadata;
  const metaKey = node.metadataKey!;
  const patternMetadata = node.raw[metaKey];
  if (!isMap(resourceMetadata) || !isMap(patternMetadata)) return node;
  let changed = false;
  const newMetadata: Record<string, unknown> = { ...patternMetadata };
  for (const tag of ['labels', 'annotations']) {
    const patternKey = Object.keys(patternMetadata).find((k) => k === tag || parseAnchor(k)?.key === tag);
    const patternData = patternKey !== undefined ? patternMetadata[patternKey] : undefined;
    const resourceData = resourceMetadata[tag];
    if (patternKey === undefined || !isMap(patternData) || !isMap(resourceData)) continue;
    const expanded: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(patternData)) {
      if (!hasWildcard(k)) {
        expanded[k] = v;
        continue;
      }
      const a = parseAnchor(k);
      const bare = a ? a.key : k;
      const matches = Object.keys(resourceData).sort(byKey).filter((rk) => wildcardMatch(bare, rk));
      if (matches.length === 0) expanded[k] = v;
      for (const m of matches) expanded[a ? anchorString(a.type, m) : m] = v;
      changed = true;
    }
    newMetadata[patternKey] = expanded;
  }
  if (!changed) return node;
  return compilePattern({ ...node.raw, [metaKey]: newMetadata }) as Extract<PatternNode, { t: 'map' }>;
}
