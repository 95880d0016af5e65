/**
 * `blang/semver` `Parse` and `ParseRange`, as used by Kyverno's `semver_compare`.
 * Ranges: space-separated comparators are ANDed, `||` ORs them; operators `> >= < <= = == != !`.
 */

interface Version {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  readonly pre: readonly string[];
}

const VERSION = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

export function parseSemver(text: string): Version | undefined {
  const m = VERSION.exec(text);
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), pre: m[4] ? m[4].split('.') : [] };
}

export function compareSemver(a: Version, b: Version): number {
  for (const k of ['major', 'minor', 'patch'] as const) if (a[k] !== b[k]) return a[k] < b[k] ? -1 : 1;
  if (a.pre.length === 0 || b.pre.length === 0) return b.pre.length - a.pre.length === 0 ? 0 : a.pre.length === 0 ? 1 : -1;
  for (let i = 0; i < Math.min(a.pre.length, b.pre.length); i++) {
    const x = a.pre[i]!;
    const y = b.pre[i]!;
    if (x === y) continue;
    const xn = /^\d+$/.test(x);
    const yn = /^\d+$/.test(y);
    if (xn && yn) return Number(x) < Number(y) ? -1 : 1;
    if (xn !== yn) return xn ? -1 : 1;
    return x < y ? -1 : 1;
  }
  return a.pre.length === b.pre.length ? 0 : a.pre.length < b.pre.length ? -1 : 1;
}

const COMPARATOR = /^(>=|<=|!=|==|>|<|=|!)?(.+)$/;

/** Returns a predicate, or throws when the range does not parse. */
export function parseSemverRange(range: string): (v: Version) => boolean {
  const alternatives = range.split('||').map((alt) => {
    const parts = alt.trim().split(/\s+/).filter((p) => p !== '');
    if (parts.length === 0) throw new Error(`Could not parse Range ${JSON.stringify(range)}`);
    return parts.map((part) => {
      const m = COMPARATOR.exec(part);
      const target = m ? parseSemver(m[2]!) : undefined;
      if (!m || !target) throw new Error(`Could not parse Range ${JSON.stringify(part)}: invalid version`);
      const op = m[1] ?? '=';
      return (v: Version): boolean => {
        const c = compareSemver(v, target);
        switch (op) {
          case '>': return c > 0;
          case '>=': return c >= 0;
          case '<': return c < 0;
          case '<=': return c <= 0;
          case '!': case '!=': return c !== 0;
          default: return c === 0;
        }
      };
    });
  });
  return (v) => alternatives.some((all) => all.every((p) => p(v)));
}
