/**
 * Unified line diffs. Written by hand because no diff library is among Lockstep's dependencies and
 * the need is small: Myers' O(ND) algorithm over lines, grouped into hunks like `diff -u`.
 */

export type Edit = { readonly op: ' ' | '-' | '+'; readonly line: string };

/** The shortest edit script turning `a` into `b` (Myers 1986), as kept/removed/added lines. */
export function diffLines(a: readonly string[], b: readonly string[]): Edit[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max + 1;
  let v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let done = false;
  for (let d = 0; d <= max && !done; d++) {
    trace.push(v.slice());
    const next = v.slice();
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      next[offset + k] = x;
      if (x >= n && y >= m) {
        done = true;
        break;
      }
    }
    v = next;
  }
  trace.push(v);
  // Walk back through the recorded frontiers to recover the path.
  const edits: Edit[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 2; d >= 0; d--) {
    const prev = trace[d]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && prev[offset + k - 1]! < prev[offset + k + 1]!) ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : prev[offset + prevK]!;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      edits.push({ op: ' ', line: a[--x]! });
      y--;
    }
    if (d === 0) break;
    if (x === prevX) edits.push({ op: '+', line: b[--y]! });
    else edits.push({ op: '-', line: a[--x]! });
  }
  return edits.reverse();
}

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/**
 * A unified diff (`--- a`, `+++ b`, `@@ -l,s +l,s @@` hunks) with `context` lines around each
 * change; empty when the texts are equal.
 */
export function unifiedDiff(before: string, after: string, labels: { before: string; after: string }, context = 3): string {
  const a = splitLines(before);
  const b = splitLines(after);
  const edits = diffLines(a, b);
  if (edits.every((e) => e.op === ' ')) return '';
  const out = [`--- ${labels.before}`, `+++ ${labels.after}`];
  // Positions (in both files) of every edit, to print hunk headers.
  const pos: { aLine: number; bLine: number }[] = [];
  let ai = 0;
  let bi = 0;
  for (const e of edits) {
    pos.push({ aLine: ai, bLine: bi });
    if (e.op !== '+') ai++;
    if (e.op !== '-') bi++;
  }
  let i = 0;
  while (i < edits.length) {
    while (i < edits.length && edits[i]!.op === ' ') i++;
    if (i >= edits.length) break;
    const start = Math.max(0, i - context);
    let end = i;
    // Extend the hunk while the next change is within 2 × context kept lines.
    for (;;) {
      while (end < edits.length && edits[end]!.op !== ' ') end++;
      let kept = 0;
      while (end + kept < edits.length && edits[end + kept]!.op === ' ') kept++;
      if (end + kept < edits.length && kept <= 2 * context) {
        end += kept;
        continue;
      }
      end = Math.min(edits.length, end + context);
      break;
    }
    const slice = edits.slice(start, end);
    const aCount = slice.filter((e) => e.op !== '+').length;
    const bCount = slice.filter((e) => e.op !== '-').length;
    const aStart = aCount === 0 ? pos[start]!.aLine : pos[start]!.aLine + 1;
    const bStart = bCount === 0 ? pos[start]!.bLine : pos[start]!.bLine + 1;
    out.push(`@@ -${aStart},${aCount} +${bStart},${bCount} @@`);
    for (const e of slice) out.push(`${e.op}${e.line}`);
    i = end;
  }
  return `${out.join('\n')}\n`;
}
