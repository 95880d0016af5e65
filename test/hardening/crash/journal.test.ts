import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JOURNAL_DIR, recoverJournal, recoverWorkspace, Transaction } from '../../../src/delivery/journal.ts';

let root: string;
const dead = { owner: 1, isAlive: () => false };

async function read(rel: string): Promise<string | undefined> {
  return readFile(join(root, rel), 'utf8').catch(() => undefined);
}

async function journalEntries(): Promise<string[]> {
  return readdir(join(root, JOURNAL_DIR)).catch(() => []);
}

/** The state a crash right after the commit point leaves: the journal file and the staged entries. */
async function committedButNotApplied(changes: { kind: 'file' | 'directory'; path: string; staged: string; content: Record<string, string> }[]): Promise<void> {
  const id = 'c0ffee';
  for (const c of changes) {
    for (const [rel, text] of Object.entries(c.content)) {
      const path = join(root, JOURNAL_DIR, id, c.staged, rel);
      await mkdir(join(path, '..'), { recursive: true });
      await writeFile(path, text);
    }
  }
  await writeFile(join(root, JOURNAL_DIR, `${id}.json`), JSON.stringify({ apiVersion: 'lockstep.dev/v1alpha1', kind: 'Journal', changes: changes.map(({ kind, path, staged }) => ({ kind, path, staged })) }));
}

describe('Transaction', () => {
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'lockstep-journal-'));
    await mkdir(join(root, 'dist/prod/manifests'), { recursive: true });
    await writeFile(join(root, 'dist/prod/manifests/a.yaml'), 'old a\n');
    await writeFile(join(root, 'dist/prod/gone.yaml'), 'old only\n');
    await mkdir(join(root, 'environments'));
    await writeFile(join(root, 'environments/prod.lock.yaml'), 'old lock\n');
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('replaces files and a directory together on commit, and leaves no journal behind', async () => {
    const tx = await Transaction.begin(root);
    const built = join(tx.workDir, 'prod');
    await mkdir(join(built, 'manifests'), { recursive: true });
    await writeFile(join(built, 'manifests/a.yaml'), 'new a\n');
    tx.replaceDirectory('dist/prod', built);
    await tx.writeFile('environments/prod.lock.yaml', 'new lock\n');
    await tx.writeFile('environments/prod.lock.sigstore.json', '{}\n');
    expect(await read('environments/prod.lock.yaml')).toBe('old lock\n');
    await tx.commit();
    expect(await read('dist/prod/manifests/a.yaml')).toBe('new a\n');
    expect(await read('dist/prod/gone.yaml')).toBeUndefined();
    expect(await read('environments/prod.lock.yaml')).toBe('new lock\n');
    expect(await read('environments/prod.lock.sigstore.json')).toBe('{}\n');
    expect(await journalEntries()).toEqual([]);
  });

  it('leaves the tree untouched when aborted', async () => {
    const tx = await Transaction.begin(root);
    await tx.writeFile('environments/prod.lock.yaml', 'new lock\n');
    await tx.abort();
    expect(await read('environments/prod.lock.yaml')).toBe('old lock\n');
    expect(await journalEntries()).toEqual([]);
  });

  it('lets a tool write a staged file (stageFile)', async () => {
    const tx = await Transaction.begin(root);
    await writeFile(tx.stageFile('dist/prod/release.json'), '{}\n');
    await tx.commit();
    expect(await read('dist/prod/release.json')).toBe('{}\n');
  });

  it('fails when another running process holds the journal lock', async () => {
    await Transaction.begin(root, { owner: 4242 });
    await expect(Transaction.begin(root, { owner: 4343, isAlive: (pid) => pid === 4242 })).rejects.toThrow(
      /\.lockstep\/journal\/LOCK: another lockstep process \(pid 4242\) is changing this repository; wait for it to finish; if no process 4242 is running, delete \.lockstep\/journal\/LOCK/,
    );
  });

  it('takes over the lock of a process that died, and rolls its uncommitted transaction back', async () => {
    const crashed = await Transaction.begin(root, { owner: 4242 });
    await crashed.writeFile('environments/prod.lock.yaml', 'half-written lock\n');
    // (the process dies here: no commit, no abort)
    expect(await recoverJournal(root, { owner: 4343, isAlive: () => false })).toEqual([{ id: crashed.id, action: 'rolled-back' }]);
    expect(await read('environments/prod.lock.yaml')).toBe('old lock\n');
    expect(await journalEntries()).toEqual([]);
  });

  it('rolls a committed transaction forward after a crash before any change was applied', async () => {
    await committedButNotApplied([
      { kind: 'directory', path: 'dist/prod', staged: 'work/prod', content: { 'manifests/a.yaml': 'new a\n' } },
      { kind: 'file', path: 'environments/prod.lock.yaml', staged: 'staged/1', content: { '': 'new lock\n' } },
    ]);
    expect(await recoverJournal(root, dead)).toEqual([{ id: 'c0ffee', action: 'rolled-forward' }]);
    expect(await read('dist/prod/manifests/a.yaml')).toBe('new a\n');
    expect(await read('dist/prod/gone.yaml')).toBeUndefined();
    expect(await read('environments/prod.lock.yaml')).toBe('new lock\n');
    expect(await journalEntries()).toEqual([]);
  });

  it('rolls forward after a crash between moving the old directory aside and moving the new one in', async () => {
    await committedButNotApplied([{ kind: 'directory', path: 'dist/prod', staged: 'work/prod', content: { 'manifests/a.yaml': 'new a\n' } }]);
    await mkdir(join(root, JOURNAL_DIR, 'c0ffee/backup'), { recursive: true });
    await rm(join(root, 'dist/prod'), { recursive: true }); // as if renamed to backup/0
    await recoverWorkspace(root, ['prod'], dead);
    expect(await read('dist/prod/manifests/a.yaml')).toBe('new a\n');
  });

  it('rolls forward a transaction whose changes were partly applied (applied ones are skipped)', async () => {
    await committedButNotApplied([{ kind: 'file', path: 'environments/prod.lock.sigstore.json', staged: 'staged/1', content: { '': 'new signature\n' } }]);
    const journal = JSON.parse(await readFile(join(root, JOURNAL_DIR, 'c0ffee.json'), 'utf8'));
    journal.changes.unshift({ kind: 'file', path: 'environments/prod.lock.yaml', staged: 'staged/0' }); // staged/0 already renamed
    await writeFile(join(root, JOURNAL_DIR, 'c0ffee.json'), JSON.stringify(journal));
    await recoverJournal(root, dead);
    expect(await read('environments/prod.lock.yaml')).toBe('old lock\n');
    expect(await read('environments/prod.lock.sigstore.json')).toBe('new signature\n');
  });

  it('fails when a journal file is not JSON', async () => {
    await mkdir(join(root, JOURNAL_DIR), { recursive: true });
    await writeFile(join(root, JOURNAL_DIR, 'abc123.json'), '{');
    await expect(recoverJournal(root, dead)).rejects.toThrow(/\.lockstep\/journal\/abc123\.json: not valid JSON: .*; journals are written by lockstep/);
  });

  it('fails when a journal file is not a lockstep journal', async () => {
    await mkdir(join(root, JOURNAL_DIR), { recursive: true });
    await writeFile(join(root, JOURNAL_DIR, 'abc123.json'), '{"kind":"Other"}');
    await expect(recoverJournal(root, dead)).rejects.toThrow(/abc123\.json: not a lockstep journal \(apiVersion lockstep\.dev\/v1alpha1, kind Journal, changes \[\{ kind, path, staged \}\]\)/);
  });

  it('fails when a path leaves the repository', async () => {
    const tx = await Transaction.begin(root);
    expect(() => tx.stageFile('../outside.yaml')).toThrow(/journal paths must be relative and inside the repository, got "\.\.\/outside\.yaml"/);
    expect(() => tx.stageFile('/etc/passwd')).toThrow(/journal paths must be relative and inside the repository/);
    await tx.abort();
  });

  it('fails when a path is staged twice', async () => {
    const tx = await Transaction.begin(root);
    await tx.writeFile('environments/prod.lock.yaml', 'a');
    await expect(tx.writeFile('environments/./prod.lock.yaml', 'b')).rejects.toThrow(/environments\/prod\.lock\.yaml is staged twice in transaction [0-9a-f]+/);
    await tx.abort();
  });

  it('fails when a staged directory is outside the transaction', async () => {
    const tx = await Transaction.begin(root);
    expect(() => tx.replaceDirectory('dist/prod', join(root, 'dist/prod'))).toThrow(/a staged directory must be inside the transaction \(.*\), got .*dist\/prod/);
    await tx.abort();
  });

  it('fails when a registered file was never written, and discards the transaction', async () => {
    const tx = await Transaction.begin(root);
    tx.stageFile('environments/prod.lock.yaml');
    await expect(tx.commit()).rejects.toThrow(/nothing was staged for environments\/prod\.lock\.yaml in transaction [0-9a-f]+; write the staged file before committing/);
    expect(await read('environments/prod.lock.yaml')).toBe('old lock\n');
    expect(await journalEntries()).toEqual([]);
  });

  it('fails when changes are staged after the commit, or it is committed twice', async () => {
    const tx = await Transaction.begin(root);
    await tx.commit();
    expect(() => tx.stageFile('x')).toThrow(/transaction [0-9a-f]+ is committed; changes must be staged before commit/);
    await expect(tx.commit()).rejects.toThrow(/transaction [0-9a-f]+ is committed; it can be committed once/);
  });
});
