/**
 * Go value formatting that Kyverno's operators depend on: `fmt.Sprint` of JSON values (numbers are
 * float64 after Kyverno's JSON round trip), `strconv.FormatFloat(v, 'E', -1, 64)` and
 * `fmt.Sprintf("%f")`. Hand-written: JavaScript formats numbers differently from Go.
 */

function exponentParts(v: number): { digits: string; exp: number } {
  // toExponential() gives the shortest round-tripping digits, as Go's shortest formatting does.
  const [mant = '', e = '0'] = v.toExponential().split('e');
  return { digits: mant.replace('-', '').replace('.', ''), exp: Number(e) };
}

function goExponent(exp: number): string {
  const sign = exp < 0 ? '-' : '+';
  const abs = Math.abs(exp);
  return `${sign}${abs < 10 ? `0${abs}` : String(abs)}`;
}

/** `strconv.FormatFloat(v, 'g', -1, 64)`, which `fmt.Sprint(float64)` uses (`%v`). */
export function formatFloatG(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const { digits, exp } = exponentParts(v);
  // Shortest formatting decides between %e and %f with precision 6, so 1e6 prints as "1e+06".
  if (exp < -4 || exp >= 6) {
    const mant = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${v < 0 ? '-' : ''}${mant}e${goExponent(exp)}`;
  }
  return String(v);
}

/** `strconv.FormatFloat(v, 'E', -1, 64)`. */
export function formatFloatE(v: number): string {
  if (!Number.isFinite(v)) return formatFloatG(v);
  const { digits, exp } = exponentParts(v);
  const mant = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  return `${v < 0 ? '-' : ''}${mant}E${goExponent(exp)}`;
}

/** `fmt.Sprintf("%f", v)`. */
export function formatFloatF(v: number): string {
  return v.toFixed(6);
}

/** `fmt.Sprint(v)` for a JSON value decoded by Go into interface{} (numbers as float64). */
export function goSprint(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'number') return formatFloatG(v);
  if (Array.isArray(v)) return `[${v.map(goSprint).join(' ')}]`;
  const o = v as Record<string, unknown>;
  // Go prints map keys sorted.
  return `map[${Object.keys(o).sort().map((k) => `${k}:${goSprint(o[k])}`).join(' ')}]`;
}
