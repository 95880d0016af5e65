const IPV4_CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Throws unless `cidr` is an IPv4 CIDR such as `203.0.113.0/24`. */
export function assertCidr(what: string, cidr: string): void {
  const m = IPV4_CIDR.exec(cidr);
  const ok = m !== null && m.slice(1, 5).every((o) => Number(o) <= 255) && Number(m[5]) <= 32;
  if (!ok) throw new Error(`${what} must be an IPv4 CIDR such as "203.0.113.0/24", got ${JSON.stringify(cidr)}`);
}

function toRange(cidr: string): [number, number] {
  const m = IPV4_CIDR.exec(cidr)!;
  const ip = m.slice(1, 5).reduce((acc, o) => acc * 256 + Number(o), 0);
  const bits = Number(m[5]);
  const size = 2 ** (32 - bits);
  const start = Math.floor(ip / size) * size;
  return [start, start + size - 1];
}

/** True when `inner` lies entirely inside `outer`. */
export function cidrContains(outer: string, inner: string): boolean {
  const [a, b] = toRange(outer);
  const [c, d] = toRange(inner);
  return c >= a && d <= b;
}

/** True when the two ranges share any address. */
export function cidrOverlaps(x: string, y: string): boolean {
  const [a, b] = toRange(x);
  const [c, d] = toRange(y);
  return a <= d && c <= b;
}
