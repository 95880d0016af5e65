// The thread behind src/util/fs-workers.ts: file-system calls in bulk (src/util/fs-bulk.mjs), off
// the main thread. Plain JavaScript on purpose: worker threads do not inherit the tsx loader the CLI
// registers.
//
// Requests: { id, op: 'verify-units', target, units } | { id, op: 'list', dir }
//           | { id, op: 'write', dir, files } | { id, op: 'compare', dir, files }  (files: [relative path, text or bytes][]).
// Replies:  { id, stale } (unit paths) | { id, files } (paths joined by "\0") | { id, written }
//           | { id, differ } (relative paths) | { id, error: { message, code, path } }.
import { join } from 'node:path';
import { parentPort } from 'node:worker_threads';
import { listFiles, sameContent, unitsNotIntact, writeFilesSync } from './fs-bulk.mjs';

parentPort.on('message', (m) => {
  try {
    if (m.op === 'verify-units') {
      parentPort.postMessage({ id: m.id, stale: unitsNotIntact(m.target, m.units) });
    } else if (m.op === 'write') {
      parentPort.postMessage({ id: m.id, written: writeFilesSync(m.dir, m.files) });
    } else if (m.op === 'compare') {
      parentPort.postMessage({ id: m.id, differ: m.files.filter(([rel, data]) => !sameContent(join(m.dir, rel), data)).map(([rel]) => rel) });
    } else if (m.op === 'list') {
      parentPort.postMessage({ id: m.id, files: listFiles(m.dir).join('\0') });
    } else {
      parentPort.postMessage({ id: m.id, error: { message: `unknown operation ${JSON.stringify(m.op)}` } });
    }
  } catch (e) {
    parentPort.postMessage({ id: m.id, error: { message: e.message, code: e.code, path: e.path } });
  }
});
