/**
 * Kubernetes `resource.Quantity` for the CEL quantity library (`quantity("1Gi")`, `isQuantity`,
 * `compareTo`, `add`, …).
 *
 * No installed package parses Kubernetes quantities, so this is a small exact port: the value is
 * kept as a bigint count of nano-units (10^-9), which covers every suffix from `n` to `Ei` exactly.
 * Like Kubernetes, precision below one nano-unit is rounded up.
 */

const BINARY: Record<string, bigint> = {
  Ki: 1n << 10n, Mi: 1n << 20n, Gi: 1n << 30n, Ti: 1n << 40n, Pi: 1n << 50n, Ei: 1n << 60n,
};
const DECIMAL_EXP: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const NANO = 1_000_000_000n;
const GRAMMAR = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;

export class Quantity {
  private constructor(
    /** Exact value in units of 10^-9. */
    readonly nanos: bigint,
    /** The text it was parsed from, for messages. */
    readonly text: string,
  ) {}

  /** Parses a Kubernetes quantity string; throws with the received value when it is not one. */
  static parse(text: string): Quantity {
    const q = Quantity.tryParse(text);
    if (!q) throw new Error(`quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$', got ${JSON.stringify(text)}`);
    return q;
  }

  static tryParse(text: string): Quantity | undefined {
    const m = GRAMMAR.exec(text);
    if (!m) return undefined;
    const [, sign = '', number = '', suffix = ''] = m;
    const [intPart = '', fracPart = ''] = number.split('.');
    // mantissa = digits / 10^fracLen
    let numerator = BigInt((intPart || '0') + fracPart);
    let denominator = 10n ** BigInt(fracPart.length);
    numerator *= NANO;
    if (suffix in BINARY) {
      numerator *= BINARY[suffix]!;
    } else {
      const exp = suffix in DECIMAL_EXP ? DECIMAL_EXP[suffix]! : Number(suffix.slice(1));
      if (Math.abs(exp) > 40) return undefined;
      if (exp >= 0) numerator *= 10n ** BigInt(exp);
      else denominator *= 10n ** BigInt(-exp);
    }
    let nanos = numerator / denominator;
    if (numerator % denominator !== 0n) nanos += 1n; // round up like Kubernetes
    return new Quantity(sign === '-' ? -nanos : nanos, text);
  }

  static fromInt(value: bigint): Quantity {
    return new Quantity(value * NANO, value.toString());
  }

  compareTo(other: Quantity): bigint {
    return this.nanos === other.nanos ? 0n : this.nanos < other.nanos ? -1n : 1n;
  }

  add(other: Quantity): Quantity {
    return Quantity.fromNanos(this.nanos + other.nanos);
  }

  sub(other: Quantity): Quantity {
    return Quantity.fromNanos(this.nanos - other.nanos);
  }

  sign(): bigint {
    return this.nanos === 0n ? 0n : this.nanos < 0n ? -1n : 1n;
  }

  isInteger(): boolean {
    return this.nanos % NANO === 0n;
  }

  /** Integer value; throws when it is fractional or does not fit an int64, as Kubernetes does. */
  asInteger(): bigint {
    if (!this.isInteger()) throw new Error(`cannot convert quantity ${this.text} to an integer: it has a fractional part`);
    const v = this.nanos / NANO;
    if (v > 9223372036854775807n || v < -9223372036854775808n) throw new Error(`quantity ${this.text} overflows int64`);
    return v;
  }

  asApproximateFloat(): number {
    return Number(this.nanos) / 1e9;
  }

  private static fromNanos(nanos: bigint): Quantity {
    const whole = nanos / NANO;
    const frac = nanos % NANO;
    const text = frac === 0n ? whole.toString() : `${nanos}n`;
    return new Quantity(nanos, text);
  }
}
