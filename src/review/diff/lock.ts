import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { LockInfo } from './types.ts';

/**
 * What the diff reads of an environment lock (`src/delivery/lock.ts` owns the format): the current
 * release's id and its `breakGlass.reason`. Lenient on purpose — a lock the diff cannot parse is
 * still compared byte for byte, and `lockstep verify` is where a malformed lock fails.
 */
export function lockSummary(text: string): { releaseId?: string; breakGlassReason?: string } {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch {
    return {};
  }
  const current = ((doc ?? {}) as Record<string, any>).current as Record<string, any> | undefined;
  const bg = current?.breakGlass;
  const reason = bg === undefined || bg === null ? undefined : typeof bg === 'object' && bg.reason !== undefined ? String(bg.reason) : '(no reason given)';
  return { ...(current?.id !== undefined ? { releaseId: String(current.id) } : {}), ...(reason !== undefined ? { breakGlassReason: reason } : {}) };
}

/** Reads `environments/<env>.lock.yaml` of a checkout, if it exists. */
export async function readLock(root: string, environment: string): Promise<LockInfo | undefined> {
  const file = `environments/${environment}.lock.yaml`;
  let text: string;
  try {
    text = await readFile(join(root, file), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  return { file, text, ...lockSummary(text) };
}
