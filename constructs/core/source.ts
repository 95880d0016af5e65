import type { IConstruct } from 'constructs';

/** Where in the user's code a construct was created. */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

interface Capture {
  stack?: string;
}

const captures = new WeakMap<IConstruct, Capture>();

/**
 * Records where `construct` was created. V8 collects the frames now but formats them only when
 * `.stack` is read, so capturing costs little; formatting happens only for reports and diffs.
 */
export function recordSource(construct: IConstruct): void {
  const holder: Capture = {};
  Error.captureStackTrace(holder as object, recordSource);
  captures.set(construct, holder);
}

/**
 * The first stack frame outside Lockstep's construct library and node_modules: the line of
 * platform code that created `construct` (or the nearest recorded ancestor).
 */
export function sourceOf(construct: IConstruct): SourceLocation | undefined {
  let c: IConstruct | undefined = construct;
  while (c) {
    const capture = captures.get(c);
    if (capture?.stack) {
      for (const line of capture.stack.split('\n').slice(1)) {
        const m = /\(?((?:file:\/\/)?[^()\s]+):(\d+):(\d+)\)?\s*$/.exec(line);
        if (!m) continue;
        const file = m[1]!.replace(/^file:\/\//, '');
        if (file.includes('/node_modules/') || file.includes('/constructs/') || file.startsWith('node:')) continue;
        return { file, line: Number(m[2]), column: Number(m[3]) };
      }
    }
    c = c.node.scope;
  }
  return undefined;
}
