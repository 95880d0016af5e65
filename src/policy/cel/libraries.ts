/**
 * The parts of Kyverno's CEL environment that cel-js does not ship, written as cel-js functions.
 *
 * cel-js already provides the standard library, macros (`all`, `exists`, `exists_one`, `map`,
 * `filter`, `has`, `cel.bind`), optional types and most of the strings extension (`lowerAscii`,
 * `upperAscii`, `split`, `join`, `trim`, `substring`, `indexOf`, `lastIndexOf`, `matches`). Added
 * here, following the Kubernetes and cel-go extension semantics:
 * - Kubernetes lists library: `isSorted`, `sum`, `min`, `max`, `indexOf`, `lastIndexOf`;
 * - Kubernetes regex library: `find`, `findAll` (JavaScript regular expressions, not RE2);
 * - Kubernetes quantity library: `quantity`, `isQuantity`, `compareTo`, `isGreaterThan`,
 *   `isLessThan`, `add`, `sub`, `sign`, `isInteger`, `asInteger`, `asApproximateFloat`;
 * - cel-go strings extension: `charAt`, `replace`, `reverse`, `strings.quote`;
 * - cel-go lists extension: `slice`, `flatten`, `distinct`, `reverse`, `sort`, `lists.range`;
 * - cel-go sets extension: `sets.contains`, `sets.equivalent`, `sets.intersects`;
 * - cel-go math extension: `math.greatest`, `math.least` (2 or 3 arguments, or a list), `math.abs`,
 *   `math.ceil`, `math.floor`, `math.round`, `math.sign`;
 * - cel-go encoders: `base64.encode`, `base64.decode`.
 *
 * Functions of Kyverno's environment that are *not* here are listed in `UNSUPPORTED_FUNCTIONS`
 * (engine.ts), so a policy using them fails to compile with an error naming the function.
 */
import type { Environment } from '@marcbachmann/cel-js';
import { Quantity } from './quantity.ts';

class SetsNamespace {}
class MathNamespace {}
class ListsNamespace {}
class StringsNamespace {}
class Base64Namespace {}

type List = readonly unknown[];

/** CEL equality across the value shapes cel-js produces (int/double compare numerically). */
export function celEquals(a: unknown, b: unknown): boolean {
  if ((typeof a === 'bigint' || typeof a === 'number') && (typeof b === 'bigint' || typeof b === 'number')) {
    return typeof a === typeof b ? a === b : Number(a) === Number(b);
  }
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => celEquals(x, b[i]));
  if (a instanceof Quantity && b instanceof Quantity) return a.nanos === b.nanos;
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && celEquals((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return a === b;
}

function compare(a: unknown, b: unknown): number {
  if ((typeof a === 'bigint' || typeof a === 'number') && (typeof b === 'bigint' || typeof b === 'number')) {
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime();
  throw new Error(`no ordering between ${typeof a} and ${typeof b} values`);
}

function extreme(list: List, sign: 1 | -1, fn: string): unknown {
  if (list.length === 0) throw new Error(`${fn}() called on an empty list`);
  return list.reduce((best, v) => (compare(v, best) * sign > 0 ? v : best));
}

function sum(list: List): unknown {
  if (list.length === 0) return 0n;
  return list.reduce((acc: unknown, v) => {
    if (typeof acc === 'bigint' && typeof v === 'bigint') return acc + v;
    if (typeof acc === 'number' && typeof v === 'number') return acc + v;
    throw new Error(`sum() needs a list of one numeric type, got ${typeof acc} and ${typeof v}`);
  });
}

function regex(pattern: string): RegExp {
  return new RegExp(pattern, 'gu');
}

function toQuantity(v: unknown): Quantity {
  if (v instanceof Quantity) return v;
  if (typeof v === 'bigint') return Quantity.fromInt(v);
  throw new Error(`expected a quantity or an int, got ${typeof v}`);
}

export function registerKubernetesLibraries(env: Environment): void {
  env
    .registerType('SetsNamespace', SetsNamespace)
    .registerType('MathNamespace', MathNamespace)
    .registerType('ListsNamespace', ListsNamespace)
    .registerType('StringsNamespace', StringsNamespace)
    .registerType('Base64Namespace', Base64Namespace)
    .registerType('Quantity', Quantity)
    .registerConstant('sets', 'SetsNamespace', new SetsNamespace())
    .registerConstant('math', 'MathNamespace', new MathNamespace())
    .registerConstant('lists', 'ListsNamespace', new ListsNamespace())
    .registerConstant('strings', 'StringsNamespace', new StringsNamespace())
    .registerConstant('base64', 'Base64Namespace', new Base64Namespace());

  // Kubernetes lists library.
  env
    .registerFunction('list.isSorted(): bool', (l: List) => l.every((v, i) => i === 0 || compare(l[i - 1], v) <= 0))
    .registerFunction('list.sum(): dyn', (l: List) => sum(l))
    .registerFunction('list.min(): dyn', (l: List) => extreme(l, -1, 'min'))
    .registerFunction('list.max(): dyn', (l: List) => extreme(l, 1, 'max'))
    .registerFunction('list.indexOf(dyn): int', (l: List, v: unknown) => BigInt(l.findIndex((x) => celEquals(x, v))))
    .registerFunction('list.lastIndexOf(dyn): int', (l: List, v: unknown) => {
      for (let i = l.length - 1; i >= 0; i--) if (celEquals(l[i], v)) return BigInt(i);
      return -1n;
    });

  // Kubernetes regex library.
  env
    .registerFunction('string.find(string): string', (s: string, p: string) => regex(p).exec(s)?.[0] ?? '')
    .registerFunction('string.findAll(string): list<string>', (s: string, p: string) => [...s.matchAll(regex(p))].map((m) => m[0]))
    .registerFunction('string.findAll(string, int): list<string>', (s: string, p: string, n: bigint) => {
      const all = [...s.matchAll(regex(p))].map((m) => m[0]);
      return n < 0n ? all : all.slice(0, Number(n));
    });

  // Kubernetes quantity library.
  env
    .registerFunction('quantity(string): Quantity', (s: string) => Quantity.parse(s))
    .registerFunction('isQuantity(string): bool', (s: string) => Quantity.tryParse(s) !== undefined)
    .registerFunction('Quantity.compareTo(Quantity): int', (a: Quantity, b: Quantity) => a.compareTo(b))
    .registerFunction('Quantity.isGreaterThan(Quantity): bool', (a: Quantity, b: Quantity) => a.compareTo(b) > 0n)
    .registerFunction('Quantity.isLessThan(Quantity): bool', (a: Quantity, b: Quantity) => a.compareTo(b) < 0n)
    .registerFunction('Quantity.add(dyn): Quantity', (a: Quantity, b: unknown) => a.add(toQuantity(b)))
    .registerFunction('Quantity.sub(dyn): Quantity', (a: Quantity, b: unknown) => a.sub(toQuantity(b)))
    .registerFunction('Quantity.sign(): int', (a: Quantity) => a.sign())
    .registerFunction('Quantity.isInteger(): bool', (a: Quantity) => a.isInteger())
    .registerFunction('Quantity.asInteger(): int', (a: Quantity) => a.asInteger())
    .registerFunction('Quantity.asApproximateFloat(): double', (a: Quantity) => a.asApproximateFloat());

  // cel-go strings extension (the parts cel-js lacks).
  env
    .registerFunction('string.charAt(int): string', (s: string, i: bigint) => {
      const chars = [...s];
      if (i < 0n || i > BigInt(chars.length)) throw new Error(`index out of range: ${i}`);
      return chars[Number(i)] ?? '';
    })
    .registerFunction('string.replace(string, string): string', (s: string, a: string, b: string) => s.split(a).join(b))
    .registerFunction('string.replace(string, string, int): string', (s: string, a: string, b: string, n: bigint) => {
      if (n < 0n) return s.split(a).join(b);
      let out = s;
      let from = 0;
      for (let k = 0n; k < n; k++) {
        const at = out.indexOf(a, from);
        if (at < 0) break;
        out = out.slice(0, at) + b + out.slice(at + a.length);
        from = at + b.length;
      }
      return out;
    })
    .registerFunction('string.reverse(): string', (s: string) => [...s].reverse().join(''))
    .registerFunction('StringsNamespace.quote(string): string', (_: unknown, s: string) => JSON.stringify(s));

  // cel-go lists extension.
  env
    .registerFunction('list.slice(int, int): list', (l: List, a: bigint, b: bigint) => {
      if (a < 0n || b < a || b > BigInt(l.length)) throw new Error(`slice(${a}, ${b}) out of range for a list of size ${l.length}`);
      return l.slice(Number(a), Number(b));
    })
    .registerFunction('list.flatten(): list', (l: List) => l.flatMap((v) => (Array.isArray(v) ? v : [v])))
    .registerFunction('list.distinct(): list', (l: List) => l.filter((v, i) => l.findIndex((x) => celEquals(x, v)) === i))
    .registerFunction('list.reverse(): list', (l: List) => [...l].reverse())
    .registerFunction('list.sort(): list', (l: List) => [...l].sort(compare))
    .registerFunction('ListsNamespace.range(int): list<int>', (_: unknown, n: bigint) => Array.from({ length: Number(n) }, (_v, i) => BigInt(i)));

  // cel-go sets extension.
  const contains = (a: List, b: List) => b.every((x) => a.some((y) => celEquals(x, y)));
  env
    .registerFunction('SetsNamespace.contains(list, list): bool', (_: unknown, a: List, b: List) => contains(a, b))
    .registerFunction('SetsNamespace.equivalent(list, list): bool', (_: unknown, a: List, b: List) => contains(a, b) && contains(b, a))
    .registerFunction('SetsNamespace.intersects(list, list): bool', (_: unknown, a: List, b: List) => a.some((x) => b.some((y) => celEquals(x, y))));

  // cel-go math extension (fixed arities; cel-go's macro accepts any number of arguments).
  env
    .registerFunction('MathNamespace.greatest(dyn): dyn', (_: unknown, a: unknown) => (Array.isArray(a) ? extreme(a, 1, 'math.greatest') : a))
    .registerFunction('MathNamespace.greatest(dyn, dyn): dyn', (_: unknown, a: unknown, b: unknown) => extreme([a, b], 1, 'math.greatest'))
    .registerFunction('MathNamespace.greatest(dyn, dyn, dyn): dyn', (_: unknown, a: unknown, b: unknown, c: unknown) => extreme([a, b, c], 1, 'math.greatest'))
    .registerFunction('MathNamespace.least(dyn): dyn', (_: unknown, a: unknown) => (Array.isArray(a) ? extreme(a, -1, 'math.least') : a))
    .registerFunction('MathNamespace.least(dyn, dyn): dyn', (_: unknown, a: unknown, b: unknown) => extreme([a, b], -1, 'math.least'))
    .registerFunction('MathNamespace.least(dyn, dyn, dyn): dyn', (_: unknown, a: unknown, b: unknown, c: unknown) => extreme([a, b, c], -1, 'math.least'))
    .registerFunction('MathNamespace.abs(dyn): dyn', (_: unknown, a: unknown) => (typeof a === 'bigint' ? (a < 0n ? -a : a) : Math.abs(a as number)))
    .registerFunction('MathNamespace.sign(dyn): dyn', (_: unknown, a: unknown) => (typeof a === 'bigint' ? (a > 0n ? 1n : a < 0n ? -1n : 0n) : Math.sign(a as number)))
    .registerFunction('MathNamespace.ceil(double): double', (_: unknown, a: number) => Math.ceil(a))
    .registerFunction('MathNamespace.floor(double): double', (_: unknown, a: number) => Math.floor(a))
    .registerFunction('MathNamespace.round(double): double', (_: unknown, a: number) => (a < 0 ? -Math.round(-a) : Math.round(a)));

  // cel-go encoders extension.
  env
    .registerFunction('Base64Namespace.encode(bytes): string', (_: unknown, b: Uint8Array) => Buffer.from(b).toString('base64'))
    .registerFunction('Base64Namespace.decode(string): bytes', (_: unknown, s: string) => new Uint8Array(Buffer.from(s, 'base64')));
}
