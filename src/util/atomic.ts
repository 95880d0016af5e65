import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Atomic replacement of files and directories, so a crash (SIGKILL, power aside) leaves either the
 * complete old state or the complete new one.
 *
 * - A file is written to a temporary sibling and renamed over the target (rename(2) is atomic).
 * - A directory is built completely under a temporary sibling, then swapped in with two renames:
 *   target → `.<name>.old-<id>`, staging → target. Between those two renames the target is briefly
 *   absent; `recoverDirectory` (run before every read or write of the target) puts the old
 *   directory back if the process died there, and removes leftovers of interrupted runs. Node has
 *   no `renameat2(RENAME_EXCHANGE)`, which would make the swap a single step.
 *
 * No fsync: the guarantee is against process crashes, which the page cache survives.
 */

export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${basename(path)}.tmp-${randomBytes(6).toString('hex')}`);
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/** Restores or cleans up after an interrupted `replaceDirectory` of `target`. */
export async function recoverDirectory(target: string): Promise<void> {
  const parent = dirname(target);
  const name = basename(target);
  let entries: string[];
  try {
    entries = await readdir(parent);
  } catch {
    return;
  }
  const olds = entries.filter((e) => e.startsWith(`.${name}.old-`)).sort();
  const stagings = entries.filter((e) => e.startsWith(`.${name}.staging-`));
  const targetExists = entries.includes(name);
  if (!targetExists && olds.length > 0) {
    // Died between the two renames: the old directory is the last complete state.
    await rename(join(parent, olds[olds.length - 1]!), target);
    olds.pop();
  }
  for (const e of [...olds, ...stagings]) await rm(join(parent, e), { recursive: true, force: true });
}

/**
 * Replaces directory `target` with exactly `files` (relative path → content). Either the old
 * directory or the complete new one is visible at any time (after recovery).
 */
export async function replaceDirectory(target: string, files: ReadonlyMap<string, string | Uint8Array>): Promise<void> {
  await recoverDirectory(target);
  const parent = dirname(target);
  const id = randomBytes(6).toString('hex');
  const staging = join(parent, `.${basename(target)}.staging-${id}`);
  const old = join(parent, `.${basename(target)}.old-${id}`);
  await mkdir(staging, { recursive: true });
  try {
    const dirs = new Set<string>();
    for (const rel of files.keys()) dirs.add(dirname(join(staging, rel)));
    for (const d of [...dirs].sort()) await mkdir(d, { recursive: true });
    const entries = [...files.entries()];
    // Bounded parallelism: enough to hide filesystem latency without exhausting file handles.
    const width = 64;
    for (let i = 0; i < entries.length; i += width) {
      await Promise.all(entries.slice(i, i + width).map(([rel, data]) => writeFile(join(staging, rel), data)));
    }
  } catch (e) {
    await rm(staging, { recursive: true, force: true });
    throw e;
  }
  let hadOld = true;
  try {
    await rename(target, old);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    hadOld = false;
  }
  await rename(staging, target);
  if (hadOld) await rm(old, { recursive: true, force: true });
}
