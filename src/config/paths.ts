/**
 * Repository paths: files the configuration names relative to the repository root (trusted keys,
 * environment and lock files, the SBOM store) must stay inside the repository. A path that climbs
 * out (`../../etc/passwd.pub`), is absolute, or is a symlink to somewhere else would let a reviewed
 * change make Lockstep read (and sign, or trust) a file nobody reviewed.
 */
import { realpath } from 'node:fs/promises';
import { isAbsolute, posix, relative, sep } from 'node:path';

/** Whether a repository-relative path, read as written, stays inside the repository. */
export function isRepositoryPath(path: string): boolean {
  if (path === '' || isAbsolute(path) || posix.isAbsolute(path) || /^[A-Za-z]:/.test(path)) return false;
  const normal = posix.normalize(path.split(sep).join('/'));
  return normal !== '..' && !normal.startsWith('../');
}

/**
 * Where `path` really is when it resolves (through symlinks) outside `root`; undefined when it is
 * inside, or does not exist (a missing file is reported by whoever reads it).
 */
export async function resolvesOutside(root: string, path: string): Promise<string | undefined> {
  let real: string;
  try {
    real = await realpath(path);
  } catch {
    return undefined;
  }
  const realRoot = await realpath(root).catch(() => root);
  const rel = relative(realRoot, real);
  return rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel) ? real : undefined;
}
