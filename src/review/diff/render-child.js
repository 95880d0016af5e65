#!/usr/bin/env node
// Child process of `lockstep diff`: renders environments of another checkout (a git worktree of the
// base or head revision) with that checkout's own code, and writes the objects as JSON to a file
// (not stdout, which platform code may print to). Usage: render-child.js ROOT OUT.json [ENV]...
// A separate process because two revisions' modules cannot share one module graph.
import { writeFile } from 'node:fs/promises';
import { register } from 'tsx/esm/api';

register();
const [root, out, ...envs] = process.argv.slice(2);
try {
  const { renderCheckout } = await import('./render-checkout.ts');
  const result = await renderCheckout(root, envs.length ? envs : undefined);
  await writeFile(out, JSON.stringify(result));
} catch (e) {
  // One line the parent quotes; the stack only adds noise from this loader.
  process.stderr.write(`error: ${e?.message ?? String(e)}\n`);
  process.exitCode = 1;
}
