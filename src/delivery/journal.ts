/**
 * All-or-nothing changes to several files and directories of a repository: a small redo journal.
 *
 * One rename(2) is atomic, a sequence of them is not: a promotion replaces `dist/<env>`, then the
 * lock, then the lock's signature, and a crash between two of those leaves a release no lock
 * vouches for (or a lock for a release that is not there). A transaction makes them one step:
 *
 *   1. begin    take the repository's journal lock (`.lockstep/journal/LOCK`, the owner's pid) and
 *               recover any earlier transaction;
 *   2. stage    every new file and directory is written under `.lockstep/journal/<id>/`; the live
 *               tree is not touched;
 *   3. commit   `.lockstep/journal/<id>.json`, listing the changes, appears with one rename: the
 *               commit point;
 *   4. apply    each change is renamed into place (a directory: target → `<id>/backup/<n>`, then
 *               staged → target);
 *   5. finish   the journal file is removed, then `<id>/`.
 *
 * Recovery (`recoverJournal`, run by every transaction and by sign, verify, promote and rollback
 * before they read anything): a transaction with a journal file is rolled forward; every step is
 * idempotent (a staged entry that is gone was applied already). One without a journal file is
 * rolled back by deleting its directory, which never touched the live tree. So after a crash at any
 * instant, the next run sees the complete old state or the complete new one.
 *
 * Written by hand because no installed library journals multi-file renames. No fsync: the
 * guarantee is against process crashes (SIGKILL, OOM), which the page cache survives, as in
 * `util/atomic.ts`.
 */
import { randomBytes } from 'node:crypto';
import { lstat, mkdir, open, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, posix, relative, sep } from 'node:path';
import { recoverDirectory } from '../util/atomic.ts';
import { LockstepError } from '../util/errors.ts';

/** Repository-relative directory of transactions. */
export const JOURNAL_DIR = '.lockstep/journal';
const LOCK_FILE = 'LOCK';
const JOURNAL_API_VERSION = 'lockstep.dev/v1alpha1';

/** One change: `path` (repository-relative) becomes the entry at `staged` (relative to the transaction directory). */
export interface JournalChange {
  readonly kind: 'file' | 'directory';
  readonly path: string;
  readonly staged: string;
}

/** What recovery did with one interrupted transaction. */
export interface RecoveryOutcome {
  readonly id: string;
  readonly action: 'rolled-forward' | 'rolled-back';
}

export interface JournalOptions {
  /** Process id recorded in the lock. @default process.pid */
  readonly owner?: number;
  /** Whether the process holding the lock still runs. @default a signal-0 probe */
  readonly isAlive?: (pid: number) => boolean;
}

function probeAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
}

/** Takes the repository's journal lock; returns its release. A lock whose owner died is taken over. */
async function acquireLock(root: string, options: JournalOptions): Promise<() => Promise<void>> {
  const owner = options.owner ?? process.pid;
  const isAlive = options.isAlive ?? probeAlive;
  const dir = join(root, JOURNAL_DIR);
  const path = join(dir, LOCK_FILE);
  await mkdir(dir, { recursive: true });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(path, 'wx');
      try {
        await handle.writeFile(`${owner}\n`);
      } finally {
        await handle.close();
      }
      return () => rm(path, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    // An empty or unreadable lock is one whose owner died between creating and writing it.
    const holder = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
    if (Number.isInteger(holder) && holder > 0 && (holder === owner || isAlive(holder))) {
      throw new LockstepError({
        file: `${JOURNAL_DIR}/${LOCK_FILE}`,
        message: `another lockstep process (pid ${holder}) is changing this repository`,
        fix: `wait for it to finish; if no process ${holder} is running, delete ${JOURNAL_DIR}/${LOCK_FILE}`,
        code: 'journal/locked',
      });
    }
    await rm(path, { force: true });
  }
  throw new LockstepError({ file: `${JOURNAL_DIR}/${LOCK_FILE}`, message: 'could not take the journal lock: other processes keep taking it', fix: 'run one lockstep command at a time on a repository', code: 'journal/locked' });
}

/** Normalizes a repository-relative path, refusing anything that leaves the repository. */
function repositoryPath(path: string): string {
  const norm = posix.normalize(path.split(sep).join('/')).replace(/\/$/, '');
  if (path === '' || isAbsolute(path) || norm === '.' || norm === '..' || norm.startsWith('../')) {
    throw new LockstepError({ message: `journal paths must be relative and inside the repository, got ${JSON.stringify(path)}`, code: 'journal/path' });
  }
  return norm;
}

/** Applies a committed transaction; safe to run again after a crash at any point. */
async function rollForward(root: string, id: string, changes: readonly JournalChange[]): Promise<void> {
  const txDir = join(root, JOURNAL_DIR, id);
  for (const [n, change] of changes.entries()) {
    const staged = join(txDir, change.staged);
    const target = join(root, change.path);
    if (!(await exists(staged))) continue;
    await mkdir(dirname(target), { recursive: true });
    if (change.kind === 'directory' && (await exists(target))) {
      // rename(2) does not replace a non-empty directory: move the old one aside first. A backup
      // left by an earlier attempt is older than the target, and the commit made both obsolete.
      const backup = join(txDir, 'backup', String(n));
      await rm(backup, { recursive: true, force: true });
      await mkdir(dirname(backup), { recursive: true });
      await rename(target, backup);
    }
    await rename(staged, target);
  }
  await rm(join(root, JOURNAL_DIR, `${id}.json`), { force: true });
  await rm(txDir, { recursive: true, force: true });
}

function parseJournal(text: string, file: string): JournalChange[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new LockstepError({ file, message: `not valid JSON: ${(e as Error).message}`, fix: 'journals are written by lockstep; restore the file or remove the transaction (the change it records is then lost)', code: 'journal/malformed' });
  }
  const d = doc as { apiVersion?: unknown; kind?: unknown; changes?: unknown };
  const ok =
    d?.apiVersion === JOURNAL_API_VERSION &&
    d.kind === 'Journal' &&
    Array.isArray(d.changes) &&
    d.changes.every((c: Partial<JournalChange>) => (c?.kind === 'file' || c?.kind === 'directory') && typeof c.path === 'string' && typeof c.staged === 'string');
  if (!ok) throw new LockstepError({ file, message: `not a lockstep journal (apiVersion ${JOURNAL_API_VERSION}, kind Journal, changes [{ kind, path, staged }])`, fix: 'journals are written by lockstep; restore the file or remove the transaction', code: 'journal/malformed' });
  return (d.changes as JournalChange[]).map((c) => ({ kind: c.kind, path: repositoryPath(c.path), staged: repositoryPath(c.staged) }));
}

/** Recovery with the lock held. */
async function recoverLocked(root: string): Promise<RecoveryOutcome[]> {
  const dir = join(root, JOURNAL_DIR);
  let entries: string[];
  try {
    entries = (await readdir(dir)).sort();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const outcomes: RecoveryOutcome[] = [];
  const committed = new Set<string>();
  for (const name of entries) {
    const m = /^([0-9a-f]+)\.json$/.exec(name);
    if (!m) continue;
    const file = `${JOURNAL_DIR}/${name}`;
    await rollForward(root, m[1]!, parseJournal(await readFile(join(dir, name), 'utf8'), file));
    committed.add(m[1]!);
    outcomes.push({ id: m[1]!, action: 'rolled-forward' });
  }
  for (const name of entries) {
    if (name === LOCK_FILE || name.endsWith('.json') || committed.has(name)) continue;
    // A transaction that never committed (or a journal file's temporary): the live tree is untouched.
    await rm(join(dir, name), { recursive: true, force: true });
    if (/^[0-9a-f]+$/.test(name)) outcomes.push({ id: name, action: 'rolled-back' });
  }
  return outcomes;
}

/** Rolls every interrupted transaction of the repository forward (committed) or back (not committed). */
export async function recoverJournal(root: string, options: JournalOptions = {}): Promise<RecoveryOutcome[]> {
  if (!(await exists(join(root, JOURNAL_DIR)))) return [];
  const unlock = await acquireLock(root, options);
  try {
    return await recoverLocked(root);
  } finally {
    await unlock();
  }
}

/**
 * The recovery every command that reads `dist/` runs first: interrupted transactions, then
 * interrupted directory replacements (`util/atomic.ts`) of `<outDir>/<env>` for each environment.
 */
export async function recoverWorkspace(root: string, environments: readonly string[], options: JournalOptions & { readonly outDir?: string } = {}): Promise<RecoveryOutcome[]> {
  const outcomes = await recoverJournal(root, options);
  for (const env of environments) await recoverDirectory(join(root, options.outDir ?? 'dist', env));
  return outcomes;
}

/**
 * A set of changes applied all together or not at all (see the module comment). Stage with
 * `writeFile`, `stageFile` or `replaceDirectory`, then `commit`; `abort` (or a crash) discards.
 */
export class Transaction {
  private readonly changes: JournalChange[] = [];
  private state: 'open' | 'committed' | 'aborted' = 'open';

  private constructor(
    readonly root: string,
    readonly id: string,
    private readonly unlock: () => Promise<void>,
  ) {}

  /** Takes the journal lock, recovers earlier transactions and opens a new one. */
  static async begin(root: string, options: JournalOptions = {}): Promise<Transaction> {
    const unlock = await acquireLock(root, options);
    try {
      await recoverLocked(root);
      const tx = new Transaction(root, randomBytes(6).toString('hex'), unlock);
      await mkdir(join(tx.dir, 'staged'), { recursive: true });
      await mkdir(tx.workDir, { recursive: true });
      return tx;
    } catch (e) {
      await unlock();
      throw e;
    }
  }

  /** Absolute path of this transaction's directory. */
  get dir(): string {
    return join(this.root, JOURNAL_DIR, this.id);
  }

  /** Scratch space for building staged content; removed with the transaction. */
  get workDir(): string {
    return join(this.dir, 'work');
  }

  private add(kind: JournalChange['kind'], path: string, staged: string): void {
    if (this.state !== 'open') throw new LockstepError({ message: `transaction ${this.id} is ${this.state}; changes must be staged before commit`, code: 'journal/closed' });
    const norm = repositoryPath(path);
    if (this.changes.some((c) => c.path === norm)) throw new LockstepError({ message: `${norm} is staged twice in transaction ${this.id}`, code: 'journal/duplicate' });
    this.changes.push({ kind, path: norm, staged });
  }

  /** Registers file `path` (repository-relative) and returns where to write its new content (e.g. for a tool's output flag). */
  stageFile(path: string): string {
    const staged = `staged/${this.changes.length}`;
    this.add('file', path, staged);
    return join(this.dir, staged);
  }

  /** Stages `data` as the new content of file `path` (repository-relative). */
  async writeFile(path: string, data: string | Uint8Array): Promise<void> {
    await writeFile(this.stageFile(path), data);
  }

  /** Stages `built`, a complete directory under `workDir`, as the new directory `path`. */
  replaceDirectory(path: string, built: string): void {
    const rel = relative(this.dir, built).split(sep).join('/');
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) {
      throw new LockstepError({ message: `a staged directory must be inside the transaction (${this.dir}), got ${built}`, code: 'journal/path' });
    }
    this.add('directory', path, rel);
  }

  /** Makes every staged change visible, all at once. */
  async commit(): Promise<void> {
    if (this.state !== 'open') throw new LockstepError({ message: `transaction ${this.id} is ${this.state}; it can be committed once`, code: 'journal/closed' });
    try {
      for (const c of this.changes) {
        // Roll-forward reads a missing staged entry as "applied": it must exist before the commit.
        if (!(await exists(join(this.dir, c.staged)))) throw new LockstepError({ message: `nothing was staged for ${c.path} in transaction ${this.id}`, fix: 'write the staged file before committing', code: 'journal/unstaged' });
      }
      const journal = join(this.root, JOURNAL_DIR, `${this.id}.json`);
      const tmp = join(this.root, JOURNAL_DIR, `.${this.id}.json.tmp`);
      await writeFile(tmp, `${JSON.stringify({ apiVersion: JOURNAL_API_VERSION, kind: 'Journal', changes: this.changes }, null, 2)}\n`);
      await rename(tmp, journal);
      this.state = 'committed';
      await rollForward(this.root, this.id, this.changes);
    } catch (e) {
      if (this.state === 'open') await this.discard();
      throw e;
    } finally {
      if (this.state === 'committed') await this.unlock();
    }
  }

  /** Discards the staged changes; the live tree was never touched. No-op after commit. */
  async abort(): Promise<void> {
    if (this.state === 'open') await this.discard();
  }

  private async discard(): Promise<void> {
    this.state = 'aborted';
    try {
      await rm(this.dir, { recursive: true, force: true });
      await rm(join(this.root, JOURNAL_DIR, `.${this.id}.json.tmp`), { force: true });
    } finally {
      await this.unlock();
    }
  }
}
