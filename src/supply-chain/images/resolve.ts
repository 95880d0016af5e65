/**
 * Resolving a tag to its manifest digest with a registry tool on PATH (the impure part of
 * `lockstep images pin`). Lockstep speaks no registry protocol itself: the tools already handle
 * credentials (docker config, credential helpers, cloud keychains) and mirrors.
 *
 * Every tool is asked for the digest of the *top-level* manifest, i.e. the image index for a
 * multi-arch image, which is what a node resolves the tag to before picking its platform:
 * - `crane digest REF` prints `sha256:…` (go-containerregistry; the index digest unless --platform);
 * - `skopeo --override-os linux inspect --format {{.Digest}} docker://REF` prints `sha256:…`. Its
 *   Digest field is always the top-level manifest's; `--override-os linux` only stops skopeo on
 *   macOS from failing while it picks a platform to show the other fields;
 * - `cosign triangulate --type signature REF` prints where cosign stores the signature,
 *   `REGISTRY/REPO:sha256-<hex>.sig`; cosign resolves the digest to build that tag, so the digest is
 *   read back out of it.
 *
 * Only `resolveDigest` runs anything; the rest are pure and tested as such.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { $ } from 'zx';
import { LockstepError } from '../../util/errors.ts';
import { formatImageRef, isDigest, parseImageRef } from './reference.ts';
import type { ImageRef } from './reference.ts';

export type RegistryTool = 'crane' | 'skopeo' | 'cosign';

/** Tools in the order Lockstep prefers them: crane's output is exactly the digest. */
export const REGISTRY_TOOLS: readonly RegistryTool[] = ['crane', 'skopeo', 'cosign'];

export interface DetectedTool {
  readonly tool: RegistryTool;
  /** Absolute path of the executable found on PATH. */
  readonly path: string;
}

/** Tests whether a path is an executable file; injectable so detection stays testable. */
export type IsExecutable = (path: string) => boolean;

export const isExecutableFile: IsExecutable = (path) => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/**
 * Finds the first registry tool on `pathEnv` (the value of PATH, passed in by the entry point).
 * With `preferred`, only that tool is looked for.
 */
export function detectRegistryTool(
  pathEnv: string | undefined,
  isExecutable: IsExecutable = isExecutableFile,
  options: { preferred?: RegistryTool; pathDelimiter?: string } = {},
): DetectedTool | undefined {
  const dirs = (pathEnv ?? '').split(options.pathDelimiter ?? delimiter).filter((d) => d.length > 0);
  const tools = options.preferred ? [options.preferred] : REGISTRY_TOOLS;
  for (const tool of tools) {
    for (const dir of dirs) {
      const candidate = join(dir, tool);
      if (isExecutable(candidate)) return { tool, path: candidate };
    }
  }
  return undefined;
}

/** The arguments (after the executable) that make `tool` print the digest of `ref`'s tag. */
export function buildResolveArgs(tool: RegistryTool, ref: ImageRef): string[] {
  // Resolve the tag, not a digest the reference may already carry.
  const tagged = formatImageRef({ registry: ref.registry, repository: ref.repository, ...(ref.tag !== undefined ? { tag: ref.tag } : {}) });
  switch (tool) {
    case 'crane':
      return ['digest', tagged];
    case 'skopeo':
      return ['--override-os', 'linux', 'inspect', '--format', '{{.Digest}}', `docker://${tagged}`];
    case 'cosign':
      return ['triangulate', '--type', 'signature', tagged];
  }
}

/** Extracts the digest from the tool's standard output; throws when the output is not what the tool prints. */
export function parseResolveOutput(tool: RegistryTool, stdout: string): string {
  const text = stdout.trim();
  let digest: string | undefined;
  if (tool === 'cosign') {
    const m = /:(sha256|sha384|sha512)-([0-9a-f]+)\.sig$/.exec(text);
    if (m) digest = `${m[1]}:${m[2]}`;
  } else if (!text.includes('\n')) {
    digest = text;
  }
  if (digest === undefined || !isDigest(digest)) {
    throw new LockstepError({
      message: `could not read a digest from ${tool}'s output ${JSON.stringify(text.slice(0, 200))}`,
      fix: tool === 'cosign'
        ? 'expected "REGISTRY/REPO:sha256-<hex>.sig" from `cosign triangulate`; check the cosign version or use crane'
        : `expected one line "sha256:<hex>" from ${tool}; check the ${tool} version`,
      code: 'images/resolve-output',
    });
  }
  return digest;
}

export interface ResolveDigestOptions {
  /** Environment for the tool (PATH, registry credentials, DOCKER_CONFIG…), passed in by the entry point. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Use this tool instead of the first one found. */
  readonly tool?: RegistryTool;
  readonly isExecutable?: IsExecutable;
}

/**
 * Resolves a tagged reference to its manifest digest with the first registry tool on PATH.
 * A reference that already has a digest is returned as is (nothing to resolve).
 */
export async function resolveDigest(image: string | ImageRef, options: ResolveDigestOptions): Promise<string> {
  const ref = typeof image === 'string' ? parseImageRef(image) : image;
  if (ref.digest !== undefined) return ref.digest;
  const detected = detectRegistryTool(options.env['PATH'], options.isExecutable, options.tool ? { preferred: options.tool } : {});
  if (!detected) {
    const wanted = options.tool ? `"${options.tool}"` : `any of ${REGISTRY_TOOLS.join(', ')}`;
    throw new LockstepError({
      message: `cannot resolve ${formatImageRef(ref)}: ${wanted} not found on PATH`,
      fix: 'install crane (go-containerregistry), skopeo or cosign, or write the digest into environments/images.lock.yaml by hand',
      code: 'images/no-registry-tool',
    });
  }
  const args = buildResolveArgs(detected.tool, ref);
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(options.env)) if (v !== undefined) env[k] = v;
  const result = await $({ env, quiet: true, nothrow: true })`${detected.path} ${args}`;
  if (result.exitCode !== 0) throw resolveFailure(detected.tool, args, result.exitCode, result.stderr);
  return parseResolveOutput(detected.tool, result.stdout);
}

/** The error for a registry tool that exited non-zero: the command, its code and the end of its stderr. */
export function resolveFailure(tool: RegistryTool, args: readonly string[], exitCode: number | null, stderr: string): LockstepError {
  const tail = stderr.trim().split('\n').slice(-3).join(' ');
  return new LockstepError({
    message: `${tool} ${args.join(' ')} exited with code ${exitCode ?? 'unknown'}${tail ? `: ${tail}` : ''}`,
    fix: 'check that the tag exists and that you are logged in to the registry',
    code: 'images/resolve-failed',
  });
}
