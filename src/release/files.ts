/**
 * Small file helpers for releases: sorted recursive listings and sha256 of file bytes. Paths are
 * POSIX-style and relative, sorted by code unit (the order `LC_ALL=C sort` gives), so a digest over
 * a listing is the same on every machine and can be recomputed with coreutils.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Code-unit order, independent of locale. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function isMissing(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/**
 * Every regular file under `dir`, as paths relative to `dir` with "/" separators, sorted.
 * A missing directory lists as empty. Symbolic links are listed as files (their target is what a
 * reader of the tree gets), never followed as directories.
 */
export async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  async function walk(rel: string): Promise<void> {
    let entries;
    try {
      entries = await readdir(join(dir, rel), { withFileTypes: true });
    } catch (e) {
      if (isMissing(e)) return;
      throw e;
    }
    for (const entry of entries) {
      const child = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) await walk(child);
      else out.push(child);
    }
  }
  await walk('');
  return out.sort(compareStrings);
}

/** The file's bytes, or undefined when it does not exist. */
export async function readIfExists(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (e) {
    if (isMissing(e)) return undefined;
    throw e;
  }
}

/** sha256 of the file's bytes, or undefined when it does not exist. */
export async function sha256File(path: string): Promise<string | undefined> {
  const bytes = await readIfExists(path);
  return bytes === undefined ? undefined : sha256Hex(bytes);
}

/** A digest shortened for messages: the first 12 hex characters and an ellipsis. */
export function shortDigest(hex: string): string {
  return hex.length > 12 ? `${hex.slice(0, 12)}…` : hex;
}
