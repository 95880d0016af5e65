/**
 * Compiles the CLI's TypeScript (src/, constructs/) to plain ESM in a temporary directory, file by
 * file with TypeScript's `transpileModule` (type-stripping only, as tsx does), relative `.ts` imports
 * rewritten to `.js`, and the same layout (so `import.meta.url`-relative files such as package.json
 * and the vendored schemas resolve).
 *
 * Why: under tsx's loader hooks a lockstep process spends ~2 s loading modules before it does any
 * work; the crash suite starts some 200 of them. Compiled, a process loads in under a second.
 */
import { copyFile, mkdir, mkdtemp, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import ts from 'typescript';

const COMPILER_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  verbatimModuleSyntax: true,
  rewriteRelativeImportExtensions: true,
};

export const REPO = join(import.meta.dirname, '../../..');

/** Returns the path of the compiled `src/cli/main.js`. */
export async function compileCli(): Promise<{ dir: string; main: string }> {
  const out = await mkdtemp(join(tmpdir(), 'lockstep-crash-cli-'));
  for (const top of ['src', 'constructs']) {
    for (const entry of await readdir(join(REPO, top), { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const from = join(entry.parentPath, entry.name);
      const to = join(out, from.slice(REPO.length + 1));
      await mkdir(dirname(to), { recursive: true });
      if (!entry.name.endsWith('.ts')) {
        await copyFile(from, to);
        continue;
      }
      const { outputText } = ts.transpileModule(await readFile(from, 'utf8'), { fileName: from, compilerOptions: COMPILER_OPTIONS });
      await writeFile(to.replace(/\.ts$/, '.js'), outputText);
    }
  }
  await copyFile(join(REPO, 'package.json'), join(out, 'package.json'));
  await symlink(join(REPO, 'node_modules'), join(out, 'node_modules'), 'junction');
  return { dir: out, main: join(out, 'src/cli/main.js') };
}
