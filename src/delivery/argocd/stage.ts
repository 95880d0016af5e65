/**
 * The `argocd` pipeline stage: render (or reuse the renderings of synth), generate, then write
 * `argocd/<env>/` or compare it with what is committed.
 *
 * Rendering here is in memory only (`renderEnvironment`), never a `dist/` write: the Argo CD objects
 * depend on what an environment renders (namespaces, kinds, the release id), not on the gates, which
 * are synth's job. `lockstep build` runs synth first and passes its renderings in.
 */
import { loadInputs } from '../../synth/inputs.ts';
import { renderEnvironment, type PlatformDefinition, type Rendering } from '../../synth/render.ts';
import { LockstepError, type Problem } from '../../util/errors.ts';
import { generateArgoCd, type ArgoCdEnvironmentInput, type ArgoCdOutput } from './generate.ts';
import { argocdDrift, writeArgoCd } from './write.ts';

export interface ArgoCdStageOptions {
  readonly root: string;
  /** Environments to generate, by name. */
  readonly environments: readonly string[];
  /** Builds the construct tree; used for environments without a rendering in `renderings`. */
  readonly define: PlatformDefinition;
  /** Renderings already made (e.g. by synth), reused instead of rendering again. */
  readonly renderings?: readonly Rendering[];
  readonly repoURL?: string;
  /** Environment name → targetRevision, overriding the environment's setting. */
  readonly revisions?: Readonly<Record<string, string>>;
  /** Compare with `argocd/` instead of writing it. */
  readonly check?: boolean;
  readonly progress?: (line: string) => void;
}

export interface ArgoCdStageResult {
  readonly output: ArgoCdOutput;
  /** Repository-relative files written (empty with `check`). */
  readonly written: readonly string[];
  /** With `check`: one problem per file that is missing, different or stale. */
  readonly drift: readonly Problem[];
}

export async function runArgoCdStage(options: ArgoCdStageOptions): Promise<ArgoCdStageResult> {
  const inputs: ArgoCdEnvironmentInput[] = [];
  const problems: Problem[] = [];
  for (const name of options.environments) {
    let rendering = options.renderings?.find((r) => r.env.config.name === name);
    if (!rendering) {
      options.progress?.(`argocd ${name}: rendering environments/${name}.yaml (in memory)`);
      try {
        rendering = renderEnvironment(await loadInputs(options.root, name), options.define);
      } catch (e) {
        if (e instanceof LockstepError) {
          problems.push(...e.problems);
          continue;
        }
        throw e;
      }
    }
    inputs.push({ config: rendering.env.config, objects: rendering.objects, file: rendering.env.file });
  }
  if (problems.length) throw new LockstepError(problems);
  const output = generateArgoCd({
    environments: inputs,
    ...(options.repoURL !== undefined ? { repoURL: options.repoURL } : {}),
    ...(options.revisions ? { revisions: options.revisions } : {}),
  });
  if (options.check) return { output, written: [], drift: await argocdDrift(options.root, output) };
  options.progress?.(`argocd: writing ${output.objects.length} objects to argocd/`);
  return { output, written: await writeArgoCd(options.root, output), drift: [] };
}
