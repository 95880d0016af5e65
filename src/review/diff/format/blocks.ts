/**
 * Assembling a size-limited Markdown document from whole blocks. GitHub rejects comment bodies over
 * 65,536 characters, and cutting text blindly can leave a code fence or `<details>` open and wreck
 * the rest of the comment; so a block is either in or out, never cut, and what was left out is
 * named at the end.
 */

export interface Block {
  readonly text: string;
  /**
   * Blocks of one group are kept as a prefix: once one is left out, the rest of its group is too
   * (object diffs of one environment stay in order, with no holes).
   */
  readonly group?: string;
  /** How to name the block in the "left out" note, e.g. `object diffs of staging`. */
  readonly leftOutAs?: string;
}

/** GitHub's limit for issue and pull-request comment bodies. */
export const GITHUB_COMMENT_LIMIT = 65_536;

/** Room kept for the note that says what was left out. */
const NOTE_ROOM = 1_200;

/** A code fence that no backtick run inside `content` can close. */
export function fence(content: string, info = ''): string {
  const longest = Math.max(0, ...[...content.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(Math.max(3, longest + 1));
  return `${ticks}${info}\n${content.endsWith('\n') ? content : `${content}\n`}${ticks}\n`;
}

/**
 * Joins blocks in order while they fit under `limit`; blocks that do not fit are left out and
 * counted by their `leftOutAs` label in a closing note built by `note`.
 */
export function assemble(blocks: readonly Block[], limit: number, note: (leftOut: string[]) => string): string {
  const budget = limit - NOTE_ROOM;
  const parts: string[] = [];
  let size = 0;
  const closed = new Set<string>();
  const leftOut = new Map<string, number>();
  for (const b of blocks) {
    const fits = size + b.text.length <= budget && !(b.group && closed.has(b.group));
    if (fits) {
      parts.push(b.text);
      size += b.text.length;
      continue;
    }
    if (b.group) closed.add(b.group);
    const label = b.leftOutAs ?? 'other sections';
    leftOut.set(label, (leftOut.get(label) ?? 0) + 1);
  }
  if (leftOut.size === 0) return parts.join('');
  const labels = [...leftOut.entries()].map(([label, n]) => `${n} × ${label}`);
  let text = note(labels);
  // The note itself must fit in its room: name fewer sections rather than overflow.
  for (let shown = labels.length - 1; text.length > NOTE_ROOM && shown > 0; shown--) text = note([...labels.slice(0, shown), `${labels.length - shown} more`]);
  return parts.join('') + text;
}
