/**
 * Go `time` semantics the Kyverno JMESPath functions rely on: `time.ParseDuration`,
 * `Duration.String()`, RFC 3339 parsing/formatting and `time.Parse` with Go reference layouts.
 * Hand-written because no installed library speaks Go's layout language or duration format.
 */

const NS_PER: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  'µs': 1_000n,
  'μs': 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

/** `time.ParseDuration`: returns nanoseconds, or throws with Go's message. */
export function parseGoDuration(text: string): bigint {
  const fail = (): never => {
    throw new Error(`time: invalid duration ${JSON.stringify(text)}`);
  };
  let s = text;
  let neg = false;
  if (s.startsWith('-') || s.startsWith('+')) {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0n;
  if (s === '') fail();
  let total = 0n;
  const part = /^(\d*)(?:\.(\d*))?([a-zµμ]+)/;
  while (s !== '') {
    const m = part.exec(s);
    if (!m || (m[1] === '' && (m[2] ?? '') === '')) fail();
    const unit = NS_PER[m![3]!];
    if (unit === undefined) throw new Error(`time: unknown unit ${JSON.stringify(m![3])} in duration ${JSON.stringify(text)}`);
    const whole = BigInt(m![1] || '0') * unit;
    const fracDigits = m![2] ?? '';
    const frac = fracDigits === '' ? 0n : (BigInt(fracDigits) * unit) / 10n ** BigInt(fracDigits.length);
    total += whole + frac;
    s = s.slice(m![0].length);
  }
  return neg ? -total : total;
}

/** `Duration.String()`: `1h0m0s`, `1.5s`, `100ms`, `0s`. */
export function formatGoDuration(ns: bigint): string {
  if (ns === 0n) return '0s';
  const neg = ns < 0n;
  let u = neg ? -ns : ns;
  let out: string;
  if (u < 1_000_000_000n) {
    const [unit, prec] = u < 1_000n ? ['ns', 0] : u < 1_000_000n ? ['µs', 3] : ['ms', 6];
    out = fmtFrac(u, prec) + unit;
  } else {
    const secs = fmtFrac(u, 9);
    u /= 1_000_000_000n;
    out = `${u % 60n}${secs.slice(secs.indexOf('.') === -1 ? secs.length : secs.indexOf('.'))}s`;
    u /= 60n;
    if (u > 0n) {
      out = `${u % 60n}m${out}`;
      u /= 60n;
      if (u > 0n) out = `${u}h${out}`;
    }
  }
  return neg ? `-${out}` : out;
}

/** Integer part plus the fraction of `v / 10^prec` without trailing zeros. */
function fmtFrac(v: bigint, prec: number): string {
  const scale = 10n ** BigInt(prec);
  const whole = v / scale;
  const frac = (v % scale).toString().padStart(prec, '0').replace(/0+$/, '');
  return frac === '' ? `${whole}` : `${whole}.${frac}`;
}

/** An instant plus the UTC offset it was written with, enough to re-print RFC 3339 like Go. */
export interface GoTime {
  /** Milliseconds since the Unix epoch. */
  readonly ms: number;
  /** Offset east of UTC in minutes. */
  readonly offsetMin: number;
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

export function parseRfc3339(text: string): GoTime {
  const m = RFC3339.exec(text);
  if (!m) throw new Error(`parsing time ${JSON.stringify(text)} as "2006-01-02T15:04:05Z07:00": cannot parse`);
  const offsetMin = m[8] ? 0 : (m[9] === '-' ? -1 : 1) * (Number(m[10]) * 60 + Number(m[11]));
  const ms =
    Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), fracMs(m[7])) -
    offsetMin * 60_000;
  return { ms, offsetMin };
}

function fracMs(digits: string | undefined): number {
  return digits ? Number(`0.${digits}`) * 1000 : 0;
}

/** `t.Format(time.RFC3339)`: seconds precision, `Z` for a zero offset. */
export function formatRfc3339(t: GoTime): string {
  const local = new Date(t.ms + t.offsetMin * 60_000);
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  const base =
    `${p(local.getUTCFullYear(), 4)}-${p(local.getUTCMonth() + 1)}-${p(local.getUTCDate())}` +
    `T${p(local.getUTCHours())}:${p(local.getUTCMinutes())}:${p(local.getUTCSeconds())}`;
  if (t.offsetMin === 0) return `${base}Z`;
  const a = Math.abs(t.offsetMin);
  return `${base}${t.offsetMin < 0 ? '-' : '+'}${p(Math.floor(a / 60))}:${p(a % 60)}`;
}

/** Local calendar fields of a GoTime (in its own offset). */
export function localFields(t: GoTime): { minute: number; hour: number; day: number; month: number; weekday: number } {
  const d = new Date(t.ms + t.offsetMin * 60_000);
  return { minute: d.getUTCMinutes(), hour: d.getUTCHours(), day: d.getUTCDate(), month: d.getUTCMonth() + 1, weekday: d.getUTCDay() };
}

/** Milliseconds between Go's zero time (year 1) and the Unix epoch; `Truncate` counts from year 1. */
const GO_ZERO_TO_UNIX_MS = 62_135_596_800_000;

export function truncateGoTime(t: GoTime, durationNs: bigint): GoTime {
  if (durationNs <= 0n) return t;
  const d = Number(durationNs / 1_000_000n);
  if (d === 0) return t;
  const sinceZero = t.ms + GO_ZERO_TO_UNIX_MS;
  return { ms: t.ms - (((sinceZero % d) + d) % d), offsetMin: t.offsetMin };
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

type Field = 'year' | 'year2' | 'month' | 'day' | 'hour24' | 'hour12' | 'minute' | 'second' | 'frac' | 'ampm' | 'zone' | 'tzname' | 'skip';

/** Go layout chunks, longest first so `2006` wins over `2` and `January` over `Jan`. */
const CHUNKS: ReadonlyArray<[string, string, Field]> = [
  ['January', `(${MONTHS.join('|')})`, 'month'],
  ['Monday', `(?:${DAYS.join('|')})`, 'skip'],
  ['Z07:00', '(Z|[+-]\\d{2}:\\d{2})', 'zone'],
  ['-07:00', '([+-]\\d{2}:\\d{2})', 'zone'],
  ['Z0700', '(Z|[+-]\\d{4})', 'zone'],
  ['-0700', '([+-]\\d{4})', 'zone'],
  ['2006', '(\\d{4})', 'year'],
  ['-07', '([+-]\\d{2})', 'zone'],
  ['Jan', `(${MONTHS.map((m) => m.slice(0, 3)).join('|')})`, 'month'],
  ['Mon', `(?:${DAYS.map((d) => d.slice(0, 3)).join('|')})`, 'skip'],
  ['MST', '([A-Z]{3,5})', 'tzname'],
  ['_2', '[ ]?(\\d{1,2})', 'day'],
  ['01', '(\\d{2})', 'month'],
  ['02', '(\\d{2})', 'day'],
  ['03', '(\\d{2})', 'hour12'],
  ['04', '(\\d{2})', 'minute'],
  ['05', '(\\d{2})', 'second'],
  ['06', '(\\d{2})', 'year2'],
  ['15', '(\\d{1,2})', 'hour24'],
  ['PM', '(AM|PM)', 'ampm'],
  ['pm', '(am|pm)', 'ampm'],
  ['1', '(\\d{1,2})', 'month'],
  ['2', '(\\d{1,2})', 'day'],
  ['3', '(\\d{1,2})', 'hour12'],
  ['4', '(\\d{1,2})', 'minute'],
  ['5', '(\\d{1,2})', 'second'],
];

/**
 * `time.Parse(layout, value)` for the layout elements listed in CHUNKS plus `.000`/`.999`
 * fractions. Go also accepts a fraction after seconds when the layout has none; so does this.
 */
export function parseGoLayout(layout: string, value: string): GoTime {
  let pattern = '^';
  const fields: Field[] = [];
  let i = 0;
  while (i < layout.length) {
    const frac = /^[.,](0+|9+)/.exec(layout.slice(i));
    if (frac && /\d/.test(layout[i - 1] ?? '')) {
      pattern += '[.,](\\d+)';
      fields.push('frac');
      i += frac[0].length;
      continue;
    }
    const chunk = CHUNKS.find(([token]) => layout.startsWith(token, i));
    if (chunk) {
      pattern += chunk[1];
      if (chunk[2] !== 'skip') fields.push(chunk[2]);
      i += chunk[0].length;
      if (chunk[2] === 'second' && !/^[.,][09]/.test(layout.slice(i))) {
        pattern += '(?:[.,](\\d+))?';
        fields.push('frac');
      }
      continue;
    }
    pattern += layout[i]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    i += 1;
  }
  const m = new RegExp(`${pattern}$`).exec(value);
  if (!m) throw new Error(`parsing time ${JSON.stringify(value)} as ${JSON.stringify(layout)}: cannot parse`);
  let year = 0;
  let month = 1;
  let day = 1;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let ms = 0;
  let pm: boolean | undefined;
  let offsetMin = 0;
  fields.forEach((field, idx) => {
    const v = m[idx + 1];
    if (v === undefined) return;
    switch (field) {
      case 'year': year = Number(v); break;
      case 'year2': year = Number(v) + (Number(v) >= 69 ? 1900 : 2000); break;
      case 'month': month = /^\d+$/.test(v) ? Number(v) : MONTHS.findIndex((n) => n.startsWith(v)) + 1; break;
      case 'day': day = Number(v); break;
      case 'hour24': case 'hour12': hour = Number(v); break;
      case 'minute': minute = Number(v); break;
      case 'second': second = Number(v); break;
      case 'frac': ms = fracMs(v); break;
      case 'ampm': pm = v.toUpperCase() === 'PM'; break;
      case 'zone':
        if (v !== 'Z') {
          const digits = v.slice(1).replace(':', '');
          offsetMin = (v[0] === '-' ? -1 : 1) * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0'));
        }
        break;
      case 'tzname': break; // Go fabricates a zero-offset location for unknown abbreviations.
      default: break;
    }
  });
  if (pm !== undefined) hour = (hour % 12) + (pm ? 12 : 0);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) {
    throw new Error(`parsing time ${JSON.stringify(value)}: value out of range`);
  }
  return { ms: Date.UTC(year, month - 1, day, hour, minute, second, ms) - offsetMin * 60_000, offsetMin };
}
