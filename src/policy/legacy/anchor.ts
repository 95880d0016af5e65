/**
 * Kyverno pattern anchors (`pkg/engine/anchor/anchor.go`): a map key `(k)` (conditional), `<(k)`
 * (global), `=(k)` (equality), `^(k)` (existence), `X(k)` (negation) or `+(k)` (add-if-not-present,
 * mutate only). Same regular expression as Go: `^([+<=X^])?\((.+)\)$` after trimming spaces.
 */

export type AnchorType = 'condition' | 'global' | 'equality' | 'existence' | 'negation' | 'add';

export interface Anchor {
  readonly type: AnchorType;
  readonly key: string;
}

const REGEX = /^([+<=X^])?\((.+)\)$/;
const BY_MODIFIER: Readonly<Record<string, AnchorType>> = { '': 'condition', '<': 'global', '=': 'equality', '^': 'existence', X: 'negation', '+': 'add' };
const MODIFIER: Readonly<Record<AnchorType, string>> = { condition: '', global: '<', equality: '=', existence: '^', negation: 'X', add: '+' };

/** The anchor a map key denotes, or undefined for a plain key. */
export function parseAnchor(text: string): Anchor | undefined {
  const m = REGEX.exec(text.trim());
  if (!m) return undefined;
  return { type: BY_MODIFIER[m[1] ?? '']!, key: m[2]! };
}

export function anchorString(type: AnchorType, key: string): string {
  return `${MODIFIER[type]}(${key})`;
}

/** Anchors validated in the first phase of a map (`GetAnchorsResourcesFromMap`). */
export function isPhaseOneAnchor(a: Anchor | undefined): boolean {
  return a !== undefined && (a.type === 'condition' || a.type === 'existence' || a.type === 'equality' || a.type === 'negation');
}

/** Anchors whose keys the AnchorMap tracks for presence (`CheckAnchorInResource`). */
export function isTrackedAnchor(a: Anchor | undefined): boolean {
  return a !== undefined && (a.type === 'condition' || a.type === 'existence' || a.type === 'negation');
}
