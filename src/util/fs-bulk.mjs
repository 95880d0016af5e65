// File-system calls in bulk, shared by the main thread (src/util/atomic.ts, src/synth/unit-cache.ts)
// and the worker threads (src/util/fs-worker.mjs), so both run the same code. Plain JavaScript on
// purpose: worker threads do not inherit the tsx loader the CLI registers. Types: fs-bulk.d.mts.
import { closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readdirSync, readSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Relative paths ("/"-separated) of every entry under `dir` that is not a directory. */
export function listFiles(dir) {
  const out = [];
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (e.isDirectory()) continue;
    out.push(join(e.parentPath, e.name).slice(dir.length + 1).split('\\').join('/'));
  }
  return out;
}

/** Writes `files` under `dir` (created as needed): one mkdir per directory, then one write per file. */
export function writeFilesSync(dir, files) {
  const made = new Set();
  let n = 0;
  for (const [rel, data] of files) {
    const path = join(dir, rel);
    const d = dirname(path);
    if (!made.has(d)) {
      mkdirSync(d, { recursive: true });
      made.add(d);
    }
    writeFileSync(path, data);
    n++;
  }
  return n;
}

/**
 * Whether the regular file at `path` holds exactly `data`. Opened without following symlinks, so a
 * symlink is never taken for the file it points to.
 */
export function sameContent(path, data) {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  let fd;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch {
    return false;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile() || st.size !== bytes.length) return false;
    const buf = Buffer.allocUnsafe(bytes.length);
    let off = 0;
    while (off < buf.length) {
      const n = readSync(fd, buf, off, buf.length - off, off);
      if (n === 0) return false;
      off += n;
    }
    return buf.equals(bytes);
  } finally {
    closeSync(fd);
  }
}

/**
 * Whether the file at `path` is a regular file in the state `recorded` ("ino\tsize\tmtimeMs\tctimeMs")
 * and was not changed at or after `recordedMs` (git's racy rule).
 */
export function fileIntact(path, recorded, recordedMs) {
  let st;
  try {
    st = lstatSync(path, { throwIfNoEntry: false });
  } catch {
    return false; // e.g. a parent replaced by a file
  }
  return st !== undefined && st.isFile() && `${st.ino}\t${st.size}\t${st.mtimeMs}\t${st.ctimeMs}` === recorded && st.ctimeMs < recordedMs;
}

/**
 * Of the unit records `units` ([unit path, object lines, file lines, recordedMs], see
 * src/synth/unit-cache.ts), those with a manifest under `target` that is not intact.
 */
export function unitsNotIntact(target, units) {
  const stale = [];
  for (const [unit, objects, files, recordedMs] of units) {
    const lines = objects === '' ? [] : objects.split('\n');
    const states = files === '' ? [] : files.split('\n');
    let intact = lines.length === states.length;
    for (let i = 0; intact && i < lines.length; i++) intact = fileIntact(join(target, lines[i].slice(0, lines[i].indexOf('\t'))), states[i], recordedMs);
    if (!intact) stale.push(unit);
  }
  return stale;
}
