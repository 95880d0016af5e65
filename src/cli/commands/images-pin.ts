import { join } from 'node:path';
import type { Command } from '../command.ts';
import { planPins, pinImages, readEnvironmentImages, readLockOrEmpty } from '../../release/images-pin.ts';
import { IMAGES_LOCK_FILE, writeImagesLock } from '../../supply-chain/images/lock.ts';
import { REGISTRY_TOOLS, detectRegistryTool, resolveDigest } from '../../supply-chain/images/resolve.ts';
import { LockstepError, throwIfProblems } from '../../util/errors.ts';
import { selectEnvironments } from './environments.ts';

export const imagesPinCommand: Command = {
  name: 'images pin',
  summary: 'Resolve unpinned image tags to digests and record them in environments/images.lock.yaml',
  usage: '[--env NAME]...',
  description:
    'Every image tag named in the environments that carries no digest and is not in the lock file is\n' +
    'resolved once with the first registry tool on PATH (crane, skopeo or cosign; their own registry\n' +
    'credentials apply) and recorded in environments/images.lock.yaml. Images already locked, or with\n' +
    'an inline @sha256 digest, are left alone, so the command is safe to re-run.',
  examples: ['lockstep images pin', 'lockstep images pin --env staging', 'lockstep images pin --json'],
  options: {
    env: { type: 'string', multiple: true, valueName: 'NAME', description: 'Environment whose images to pin (repeatable; default: all)' },
  },
  async run(ctx) {
    const names = await selectEnvironments(ctx.root, ctx.values.env as string[] | undefined);
    const envs = await Promise.all(names.map((n) => readEnvironmentImages(ctx.root, n)));
    const lock = await readLockOrEmpty(ctx.root);
    const plan = planPins(envs, lock);
    throwIfProblems(plan.problems);
    if (plan.toResolve.length > 0) {
      const tool = detectRegistryTool(ctx.env['PATH']);
      if (!tool) {
        throw new LockstepError({
          message: `cannot resolve ${plan.toResolve.length} image tag(s) (${plan.toResolve.join(', ')}): none of ${REGISTRY_TOOLS.join(', ')} is on PATH`,
          fix: `install crane, skopeo or cosign, or write the digests into ${IMAGES_LOCK_FILE} by hand`,
          code: 'images/no-registry-tool',
        });
      }
      ctx.progress(`resolving ${plan.toResolve.length} tag(s) with ${tool.path}`);
    }
    const result = await pinImages(plan.toResolve, lock, (ref) => resolveDigest(ref, { env: ctx.env }));
    if (result.resolved.length > 0) await writeImagesLock(join(ctx.root, IMAGES_LOCK_FILE), result.lock);
    const json = { lockFile: IMAGES_LOCK_FILE, resolved: result.resolved, alreadyLocked: plan.locked, pinnedInline: plan.inline, failed: result.problems.length };
    if (ctx.json) ctx.stdout(`${JSON.stringify(json, null, 2)}\n`);
    else {
      const lines = result.resolved.map((r) => `  pinned ${r.image} → ${r.digest}`);
      lines.push(`${result.resolved.length} pinned, ${plan.locked.length} already locked, ${plan.inline.length} with an inline digest${result.resolved.length ? ` (${IMAGES_LOCK_FILE} updated)` : ''}`);
      ctx.stdout(`${lines.join('\n')}\n`);
    }
    throwIfProblems(result.problems);
    return 0;
  },
};
