import type { EnvironmentConfig } from '../config/types.ts';

/** Keys that name or describe the environment itself and always differ. */
const IDENTITY_KEYS = new Set(['apiVersion', 'kind', 'name', 'stage', 'promotion']);

export interface SkewDifference {
  /** JSON pointer of the differing value, e.g. `/replicas/workloads/project-ai-core`. */
  readonly pointer: string;
  readonly from: unknown;
  readonly to: unknown;
}

/**
 * The environment skew contract: `to` may differ from `from` only under the top-level keys listed in
 * `allowed` (its `promotion.skew`). Returns every other difference, down to the leaf that differs.
 */
export function skewViolations(from: EnvironmentConfig, to: EnvironmentConfig, allowed: readonly string[]): SkewDifference[] {
  const out: SkewDifference[] = [];
  const keys = [...new Set([...Object.keys(from), ...Object.keys(to)])].sort();
  for (const k of keys) {
    if (IDENTITY_KEYS.has(k) || allowed.includes(k)) continue;
    diff((from as unknown as Record<string, unknown>)[k], (to as unknown as Record<string, unknown>)[k], `/${k}`, out);
  }
  return out;
}

function diff(a: unknown, b: unknown, pointer: string, out: SkewDifference[]): void {
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a as object), ...Object.keys(b as object)])].sort();
    for (const k of keys) diff((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${pointer}/${k}`, out);
    return;
  }
  if (JSON.stringify(a) !== JSON.stringify(b)) out.push({ pointer, from: a, to: b });
}
