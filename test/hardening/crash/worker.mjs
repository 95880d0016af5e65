// A lockstep CLI process for the crash harness. It loads the CLI (compiled by compile.ts), says
// "ready", and on "go" runs main(argv) exactly as src/cli/bin.js does; the harness SIGKILLs it at a
// random moment. Loading before "go" keeps module start-up (most of a process's life) out of the
// window the random kill is drawn from.
//
// Test hooks, all in this file (library code has none):
//   LOCKSTEP_TEST_NOW          a fixed clock (ISO time), so the "new" state of promote is known
//   LOCKSTEP_TEST_KILL_AT_OP   SIGKILL this process just before its Nth file-system write
//                              (writeFile, rename, rm, mkdir, ... after "go"), a deterministic crash point
//   LOCKSTEP_TEST_ROOT         repository root, to report the writes relative to it
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { relative } from 'node:path';

const require = createRequire(import.meta.url);
const fs = require('node:fs');
const killAt = Number(process.env.LOCKSTEP_TEST_KILL_AT_OP ?? 0);
const root = process.env.LOCKSTEP_TEST_ROOT ?? '/';
let counting = false;
const ops = [];

function hit(op, path) {
  if (!counting) return;
  ops.push(`${op} ${typeof path === 'string' ? relative(root, path) : '<fd>'}`);
  if (ops.length === killAt) process.kill(process.pid, 'SIGKILL');
}

const WRITES = ['writeFile', 'appendFile', 'rename', 'rm', 'rmdir', 'unlink', 'mkdir', 'mkdtemp', 'copyFile', 'cp', 'symlink', 'link', 'truncate'];
const isWriteFlag = (flags) => typeof flags === 'string' && /[wax+]/.test(flags);
for (const name of WRITES) {
  const original = fs.promises[name];
  fs.promises[name] = function (path, ...rest) {
    hit(name, path);
    return original.call(this, path, ...rest);
  };
  const sync = `${name}Sync`;
  if (typeof fs[sync] === 'function') {
    const originalSync = fs[sync];
    fs[sync] = function (path, ...rest) {
      hit(sync, path);
      return originalSync.call(this, path, ...rest);
    };
  }
}
const originalOpen = fs.promises.open;
fs.promises.open = function (path, flags, ...rest) {
  if (isWriteFlag(flags)) hit('open', path);
  return originalOpen.call(this, path, flags, ...rest);
};
syncBuiltinESMExports();

if (process.env.LOCKSTEP_TEST_NOW) {
  const fixed = Date.parse(process.env.LOCKSTEP_TEST_NOW);
  const RealDate = Date;
  globalThis.Date = class extends RealDate {
    constructor(...args) {
      if (args.length === 0) super(fixed);
      else super(...args);
    }
    static now() {
      return fixed;
    }
  };
}

const { main } = await import(process.argv[2]);
process.on('message', async (message) => {
  if (message.type !== 'go') return;
  let stdout = '';
  let stderr = '';
  counting = true;
  const code = await main(message.argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: process.env });
  counting = false;
  process.send({ type: 'done', code, ops, stdout, stderr }, () => process.exit(code));
});
process.send({ type: 'ready' });
