import { randomBytes } from 'node:crypto';
import { closeSync, lstatSync, mkdirSync, openSync, readFileSync, renameSync, rmdirSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { listFiles, sameContent, writeFilesSync } from './fs-bulk.mjs';
import type { FsWorkers } from './fs-workers.ts';

// The bulk calls are shared with the worker threads (fs-bulk.mjs); the floor writes with this one too.
export { writeFilesSync };

/**
 * Atomic replacement of files and directories, so a crash (SIGKILL, power aside) leaves either the
 * complete old state or the complete new one.
 *
 * - A file is written to a temporary sibling and renamed over the target (rename(2) is atomic).
 * - A directory that does not exist yet is built completely under a temporary sibling, then swapped
 *   in with two renames: target → `.<name>.old-<id>`, staging → target. Between those two renames
 *   the target is briefly absent; `recoverDirectory` (run before every read or write of the target)
 *   puts the old directory back if the process died there, and removes leftovers of interrupted
 *   runs. Node has no `renameat2(RENAME_EXCHANGE)`, which would make the swap a single step.
 * - A directory that exists is updated in place through a redo journal, so an unchanged file costs
 *   one read instead of a new inode (creating and freeing inodes is what made writing 60k
 *   manifests slow, see docs/performance.md): the changed files are written under
 *   `.<name>.staging-<id>/`, then `.<name>.journal-<id>` (the list of renames and removals)
 *   appears with one rename — the commit point — and the changes are applied. `recoverDirectory`
 *   rolls a committed journal forward (every step is idempotent) and deletes an uncommitted
 *   staging directory, which never touched the target.
 *
 * No fsync: the guarantee is against process crashes, which the page cache survives. File I/O is
 * synchronous on purpose: for tens of thousands of small files, the thread-pool round trips and
 * promises of the async API cost more than the system calls.
 */

export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await viaTemporary(path, (tmp) => writeFile(tmp, data));
}

/**
 * `writeFileAtomic` for a file made of many pieces, written one after the other, so a large index
 * is never held as one string (and again as its UTF-8 bytes) in memory.
 */
export async function writeChunksAtomic(path: string, chunks: Iterable<string>): Promise<void> {
  await viaTemporary(path, async (tmp) => {
    const fd = openSync(tmp, 'w');
    try {
      for (const chunk of chunks) writeSync(fd, chunk);
    } finally {
      closeSync(fd);
    }
  });
}

/** Writes `path` through `write` into a temporary sibling renamed over it (removed on failure). */
async function viaTemporary(path: string, write: (tmp: string) => Promise<void>): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${basename(path)}.tmp-${randomBytes(6).toString('hex')}`);
  try {
    await write(tmp);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/**
 * A value of `replaceDirectory`'s file map meaning "the file the target holds now, unchanged": the
 * caller knows it is current (the synth output cache checks that), so it is neither serialized nor
 * read. Only valid for a file that exists in the target.
 */
export const KEEP: unique symbol = Symbol('keep the current file');
export type DirectoryFile = string | Uint8Array | typeof KEEP;

/** The journal of an in-place update, relative paths inside the target. */
interface UpdateJournal {
  readonly staging: string;
  /** Files to rename from the staging directory into the target. */
  readonly write: readonly string[];
  /** Files to remove from the target. */
  readonly remove: readonly string[];
}

const JOURNAL_MARK = '.journal-';

function code(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException).code;
}

/** Applies a committed journal; safe to run again after a crash part-way. */
function applyJournal(target: string, journal: UpdateJournal): void {
  const staging = join(dirname(target), journal.staging);
  const made = new Set<string>();
  for (const rel of journal.write) {
    const dir = dirname(join(target, rel));
    if (!made.has(dir)) {
      mkdirSync(dir, { recursive: true });
      made.add(dir);
    }
    try {
      renameSync(join(staging, rel), join(target, rel));
    } catch (e) {
      if (code(e) !== 'ENOENT') throw e; // applied before the crash
    }
  }
  const emptied = new Set<string>();
  for (const rel of journal.remove) {
    rmSync(join(target, rel), { force: true, recursive: true });
    for (let d = dirname(rel); d !== '.' && d !== ''; d = dirname(d)) emptied.add(d);
  }
  // Directories the removals emptied go too (the target holds exactly the files it was given).
  for (const d of [...emptied].sort((a, b) => b.length - a.length)) {
    try {
      rmdirSync(join(target, d));
    } catch (e) {
      if (!['ENOTEMPTY', 'ENOENT', 'EEXIST'].includes(code(e) ?? '')) throw e;
    }
  }
}

function readJournal(path: string): UpdateJournal | undefined {
  try {
    const j = JSON.parse(readFileSync(path, 'utf8')) as UpdateJournal;
    if (typeof j.staging === 'string' && Array.isArray(j.write) && Array.isArray(j.remove)) return j;
  } catch {
    // unreadable: treated as not committed below
  }
  return undefined;
}

/**
 * Restores or cleans up after an interrupted `replaceDirectory` of `target`. Returns whether the
 * target itself changed (a journal rolled forward, the old directory put back).
 */
export async function recoverDirectory(target: string): Promise<boolean> {
  const parent = dirname(target);
  const name = basename(target);
  let entries: string[];
  try {
    entries = await readdir(parent);
  } catch {
    return false;
  }
  let changed = false;
  const olds = entries.filter((e) => e.startsWith(`.${name}.old-`)).sort();
  const stagings = entries.filter((e) => e.startsWith(`.${name}.staging-`));
  const journals = entries.filter((e) => e.startsWith(`.${name}${JOURNAL_MARK}`));
  const targetExists = entries.includes(name);
  // A committed in-place update (a complete journal file, not its temporary) is rolled forward first,
  // before its staging directory is cleaned up below.
  for (const j of journals.filter((e) => !e.endsWith('.tmp')).sort()) {
    const journal = readJournal(join(parent, j));
    if (journal && targetExists) {
      applyJournal(target, journal);
      changed = true;
    }
  }
  if (!targetExists && olds.length > 0) {
    // Died between the two renames: the old directory is the last complete state.
    await rename(join(parent, olds[olds.length - 1]!), target);
    olds.pop();
    changed = true;
  }
  for (const e of [...olds, ...stagings]) await rm(join(parent, e), { recursive: true, force: true });
  // The journal goes last: until then a crash during recovery redoes the same steps.
  for (const e of journals) await rm(join(parent, e), { force: true });
  return changed;
}

function isDirectory(path: string): boolean {
  try {
    return lstatSync(path).isDirectory();
  } catch {
    return false;
  }
}

export interface ReplaceOptions {
  /**
   * The files `target` holds now (relative paths, as `FsWorkers.listFiles` gives them), listed
   * beforehand — e.g. on a worker thread while the files were being produced. Used only when
   * recovery changed nothing; otherwise the target is listed again.
   */
  readonly listing?: Promise<Set<string>>;
  /**
   * Threads to write new files and compare existing ones on, in parallel (file creation is kernel
   * time). The commit protocol is the same: staging, journal, renames on this thread.
   */
  readonly workers?: FsWorkers;
}

/**
 * Replaces directory `target` with exactly `files` (relative path → content, or `KEEP`). Either
 * the old directory or the complete new one is visible at any time (after recovery). When the
 * target exists, only files whose bytes differ are written.
 */
export async function replaceDirectory(target: string, files: ReadonlyMap<string, DirectoryFile>, options: ReplaceOptions = {}): Promise<void> {
  const recovered = await recoverDirectory(target);
  if (isDirectory(target)) {
    let existing: Set<string> | undefined;
    if (options.listing && !recovered) {
      try {
        existing = await options.listing;
      } catch {
        existing = undefined; // listed again below
      }
    }
    if (await updateInPlace(target, files, existing ?? new Set(listFiles(target)), options.workers)) return;
  }
  await swapIn(target, files, options.workers);
}

/** Writes `files` under `dir` on `workers` when given, else on this thread. */
async function writeAll(dir: string, files: readonly (readonly [string, string | Uint8Array])[], workers?: FsWorkers): Promise<void> {
  if (workers) await workers.writeFiles(dir, files);
  else writeFilesSync(dir, files);
}

/** The whole directory built under a staging sibling and swapped in (the target is new, or the update cannot be done in place). */
async function swapIn(target: string, files: ReadonlyMap<string, DirectoryFile>, workers?: FsWorkers): Promise<void> {
  const parent = dirname(target);
  const id = randomBytes(6).toString('hex');
  const staging = join(parent, `.${basename(target)}.staging-${id}`);
  const old = join(parent, `.${basename(target)}.old-${id}`);
  await mkdir(staging, { recursive: true });
  try {
    const resolved: [string, string | Uint8Array][] = [];
    for (const [rel, data] of files) {
      if (data !== KEEP) resolved.push([rel, data]);
      else {
        try {
          resolved.push([rel, readFileSync(join(target, rel))]);
        } catch (e) {
          throw new Error(`replaceDirectory: ${join(target, rel)} was given as unchanged (KEEP) but cannot be read: ${(e as Error).message}`, { cause: e });
        }
      }
    }
    await writeAll(staging, resolved, workers);
  } catch (e) {
    await rm(staging, { recursive: true, force: true });
    throw e;
  }
  let hadOld = true;
  try {
    await rename(target, old);
  } catch (e) {
    if (code(e) !== 'ENOENT') throw e;
    hadOld = false;
  }
  await rename(staging, target);
  if (hadOld) await rm(old, { recursive: true, force: true });
}

/**
 * The in-place update through a journal (see the module comment). Returns false, having changed
 * nothing, when a new file would need a directory where the target has a file or the other way
 * round; the caller then swaps in a complete new directory.
 */
async function updateInPlace(target: string, files: ReadonlyMap<string, DirectoryFile>, existing: ReadonlySet<string>, workers?: FsWorkers): Promise<boolean> {
  const compare: [string, string | Uint8Array][] = [];
  for (const [rel, data] of files) {
    if (data === KEEP) {
      if (!existing.has(rel)) return false;
      continue;
    }
    // A parent that is a file, or a path that is a directory: not an in-place update.
    for (let d = dirname(rel); d !== '.' && d !== ''; d = dirname(d)) if (existing.has(d)) return false;
    if (!existing.has(rel) && isDirectory(join(target, rel))) return false;
    if (existing.has(rel)) compare.push([rel, data]);
  }
  const differ = workers ? await workers.differing(target, compare) : new Set(compare.filter(([rel, data]) => !sameContent(join(target, rel), data)).map(([rel]) => rel));
  const changed: [string, string | Uint8Array][] = [];
  for (const [rel, data] of files) if (data !== KEEP && (!existing.has(rel) || differ.has(rel))) changed.push([rel, data]);
  const remove = [...existing].filter((rel) => !files.has(rel)).sort();
  if (changed.length === 0 && remove.length === 0) return true;

  const parent = dirname(target);
  const id = randomBytes(6).toString('hex');
  const stagingName = `.${basename(target)}.staging-${id}`;
  const staging = join(parent, stagingName);
  const journalPath = join(parent, `.${basename(target)}${JOURNAL_MARK}${id}`);
  const journal: UpdateJournal = { staging: stagingName, write: changed.map(([rel]) => rel), remove };
  try {
    mkdirSync(staging);
    await writeAll(staging, changed, changed.length > 512 ? workers : undefined);
    writeFileSync(`${journalPath}.tmp`, JSON.stringify(journal));
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    rmSync(`${journalPath}.tmp`, { force: true });
    throw e;
  }
  renameSync(`${journalPath}.tmp`, journalPath); // the commit point
  applyJournal(target, journal);
  rmSync(staging, { recursive: true, force: true });
  rmSync(journalPath, { force: true });
  return true;
}
