// The thread behind src/util/fs-workers.ts: file-system calls in bulk, off the main thread.
// Plain JavaScript on purpose: worker threads do not inherit the tsx loader the CLI registers.
//
// Requests: { id, op: 'verify-units', target, units } | { id, op: 'list', dir }
//           | { id, op: 'write', dir, files } | { id, op: 'compare', dir, files }  (files: [relative path, text or bytes][]).
// Replies:  { id, stale } (unit paths) | { id, files } (paths joined by "\0") | { id, written }
//           | { id, differ } (relative paths) | { id, error: { message, code, path } }.
import { closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readdirSync, readSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parentPort } from 'node:worker_threads';

function listFiles(dir) {
  const out = [];
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (e.isDirectory()) continue;
    out.push(join(e.parentPath, e.name).slice(dir.length + 1).split('\\').join('/'));
  }
  return out.join('\0');
}

// The check of src/synth/unit-cache.ts (`fileIntact`), kept in step with it: every manifest of a
// unit record is a regular file in the recorded state ("ino\tsize\tmtimeMs\tctimeMs") and was not
// changed at or after the record was made. `units`: [unit path, object lines, file lines, recordedMs].
function verifyUnits(target, units) {
  const stale = [];
  for (const [unit, objects, files, recordedMs] of units) {
    const lines = objects === '' ? [] : objects.split('\n');
    const states = files === '' ? [] : files.split('\n');
    let intact = lines.length === states.length;
    for (let i = 0; intact && i < lines.length; i++) {
      const path = lines[i].slice(0, lines[i].indexOf('\t'));
      let st;
      try {
        st = lstatSync(join(target, path), { throwIfNoEntry: false });
      } catch {
        st = undefined;
      }
      intact = st !== undefined && st.isFile() && `${st.ino}\t${st.size}\t${st.mtimeMs}\t${st.ctimeMs}` === states[i] && st.ctimeMs < recordedMs;
    }
    if (!intact) stale.push(unit);
  }
  return stale;
}

// As writeFilesSync in src/util/atomic.ts: one mkdir per directory, one synchronous write per file.
function writeFiles(dir, files) {
  const made = new Set();
  for (const [rel, data] of files) {
    const path = join(dir, rel);
    const d = dirname(path);
    if (!made.has(d)) {
      mkdirSync(d, { recursive: true });
      made.add(d);
    }
    writeFileSync(path, data);
  }
  return files.length;
}

// As sameContent in src/util/atomic.ts: the regular file (symlinks not followed) holds exactly `data`.
function sameContent(path, data) {
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

parentPort.on('message', (m) => {
  try {
    if (m.op === 'verify-units') {
      parentPort.postMessage({ id: m.id, stale: verifyUnits(m.target, m.units) });
    } else if (m.op === 'write') {
      parentPort.postMessage({ id: m.id, written: writeFiles(m.dir, m.files) });
    } else if (m.op === 'compare') {
      parentPort.postMessage({ id: m.id, differ: m.files.filter(([rel, data]) => !sameContent(join(m.dir, rel), data)).map(([rel]) => rel) });
    } else if (m.op === 'list') {
      parentPort.postMessage({ id: m.id, files: listFiles(m.dir) });
    } else {
      parentPort.postMessage({ id: m.id, error: { message: `unknown operation ${JSON.stringify(m.op)}` } });
    }
  } catch (e) {
    parentPort.postMessage({ id: m.id, error: { message: e.message, code: e.code, path: e.path } });
  }
});
