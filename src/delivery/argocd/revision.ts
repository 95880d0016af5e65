/**
 * Which Git revision each environment's Applications sync.
 *
 * dev and staging follow `main`: every merged commit is delivered (staging is signed by the main
 * workflow right after). Production is pinned: by default to the content-addressed release tag
 * `release/<release id>`, where the release id is the one `lockstep sign` writes into
 * `dist/<env>/release.json` (`<env>-<first 12 hex of the manifest-set digest>`, src/release/release.ts).
 * The promote workflow creates exactly that tag on the promotion commit, so
 *
 * - the Application names the very rendering that was promoted and signed, not a moving branch;
 * - a pull request that would change production's rendering shows up in `argocd/` as a new
 *   targetRevision, i.e. "production moves to release X", which reviewers can see;
 * - until the promotion has created the tag, Argo CD cannot resolve it and syncs nothing.
 *
 * Precedence: an explicit revision (the promotion step's parameter) > `delivery.targetRevision` >
 * the stage default. Production refuses floating revisions (TK8S auto-synced production from main).
 */
import type { Stage } from '../../config/types.ts';
import { manifestSetDigest, type FileDigest } from '../../release/release.ts';
import { sha256Hex } from '../../release/files.ts';
import { toYaml } from '../../synth/serialize.ts';
import type { KubeJson } from '../../k8s/objects.ts';
import type { Problem } from '../../util/errors.ts';

/** The branch dev and staging follow. */
export const MAIN_BRANCH = 'main';

/** Prefix of release tags: `release/<env>-<12 hex>`. */
export const RELEASE_TAG_PREFIX = 'release/';

/** Revisions that move on their own: pinning production to one of them is no pin at all. */
const FLOATING = new Set(['main', 'master', 'HEAD', 'develop', 'trunk']);

/** A rendered object as synth writes it: its data and its path relative to `dist/<env>/`. */
export interface ManifestObject {
  readonly json: KubeJson;
  /** `manifests/<namespace|_cluster>/<kind>_<name>.yaml` */
  readonly path: string;
}

/**
 * The release id `lockstep sign` will record for this rendering: `<env>-<12 hex>`, computed from the
 * bytes synth writes (`toYaml(json)` per file), so no `dist/` read is needed.
 */
export function releaseIdOf(env: string, objects: readonly ManifestObject[]): string {
  const files: FileDigest[] = objects.map((o) => ({ path: o.path, sha256: sha256Hex(toYaml(o.json)) }));
  const digest = manifestSetDigest(files);
  return `${env}-${digest.slice('sha256:'.length, 'sha256:'.length + 12)}`;
}

/** `release/<release id>`: the tag the promote workflow puts on the promotion commit. */
export function releaseTag(env: string, objects: readonly ManifestObject[]): string {
  return `${RELEASE_TAG_PREFIX}${releaseIdOf(env, objects)}`;
}

export interface RevisionChoice {
  readonly revision: string;
  /** Where it came from, for summaries. */
  readonly source: 'parameter' | 'environment' | 'default';
}

export function chooseRevision(input: {
  readonly env: string;
  readonly stage: Stage;
  readonly objects: readonly ManifestObject[];
  readonly parameter?: string;
  readonly setting?: string;
}): RevisionChoice {
  if (input.parameter !== undefined) return { revision: input.parameter, source: 'parameter' };
  if (input.setting !== undefined) return { revision: input.setting, source: 'environment' };
  return { revision: input.stage === 'production' ? releaseTag(input.env, input.objects) : MAIN_BRANCH, source: 'default' };
}

/** Problems with a production revision that floats (a branch or HEAD) or is empty. */
export function checkPinned(choice: RevisionChoice, stage: Stage, file: string): Problem[] {
  if (stage !== 'production') return [];
  const r = choice.revision.trim();
  const where = choice.source === 'parameter' ? { message: 'the revision passed for production' } : { message: 'targetRevision', pointer: '/delivery/targetRevision' };
  if (r === '' || FLOATING.has(r) || r.startsWith('refs/heads/')) {
    return [{
      file,
      ...(where.pointer ? { pointer: where.pointer } : {}),
      message: `${where.message} must pin a release (a tag or a commit), got ${JSON.stringify(choice.revision)}, which moves with every push`,
      fix: `remove it to use the release tag (${RELEASE_TAG_PREFIX}<env>-<12 hex>), or name a tag or commit SHA`,
      code: 'argocd/floating-production-revision',
    }];
  }
  return [];
}
