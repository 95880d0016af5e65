import { ApiObject } from 'cdk8s';
import type { IConstruct } from 'constructs';
import { sourceOf, type SourceLocation } from '../../constructs/core/source.ts';
import type { Platform } from '../../constructs/core/platform.ts';
import { Unit } from '../../constructs/core/unit.ts';
import type { RestoredUnit } from './unit-cache.ts';
import type { LoadedEnvironment } from '../config/types.ts';
import type { SynthInputs } from './inputs.ts';
import { objectKey, type KubeJson } from '../k8s/objects.ts';
import { MissingSettingError, type EnvironmentContext } from '../platform/context.ts';
import { LockstepError, type Problem } from '../util/errors.ts';
import { manifestPath } from './layout.ts';

/** One object of the rendered output. */
export interface RenderedObject {
  readonly json: KubeJson;
  /** Path relative to `dist/<env>/`. */
  readonly path: string;
  /** Construct path that produced the object. */
  readonly constructPath: string;
  /** Where in the platform code the producing construct was created (computed on demand). */
  source(): SourceLocation | undefined;
  /** The Unit (construct path) the object belongs to, if any. */
  readonly unit?: string;
  /**
   * Set for objects of a restored Unit: their output-cache key, known without hashing `json`, and
   * the output cache has vouched that their manifest is current (it is kept as it is).
   */
  readonly cacheKey?: string;
}

export interface Rendering {
  readonly env: LoadedEnvironment;
  readonly inputs: SynthInputs;
  readonly platform: Platform;
  /** Objects sorted by output path. */
  readonly objects: readonly RenderedObject[];
  /** Problems found by construct checks (late validations); gates add more. */
  readonly problems: readonly Problem[];
}

/** Builds the construct tree of one environment. */
export type PlatformDefinition = (inputs: SynthInputs) => { platform: Platform; context?: EnvironmentContext };

/**
 * Renders one environment: builds its construct tree, runs every construct's checks once, and turns
 * every ApiObject into plain data. One walk over the tree; no cdk8s per-chart passes.
 */
export function renderEnvironment(inputs: SynthInputs, define: PlatformDefinition): Rendering {
  const env = inputs.env;
  let built: ReturnType<PlatformDefinition>;
  try {
    built = define(inputs);
  } catch (e) {
    if (e instanceof MissingSettingError) throw new LockstepError(e.problem);
    if (e instanceof LockstepError) throw e;
    // A construct refused its props: report it as one problem, not a stack trace.
    throw new LockstepError({ message: `${(e as Error).message}`, file: env.file, code: 'construct/refused' }, { cause: e });
  }
  const problems: Problem[] = [...(built.context?.unusedSettings() ?? [])];
  const objects: RenderedObject[] = [];
  const nodes: IConstruct[] = built.platform.node.findAll();
  for (const c of nodes) {
    for (const message of c.node.validate()) problems.push({ constructPath: c.node.path, message, code: 'construct/check' });
  }
  const seenPaths = new Map<string, string>();
  const seenKeys = new Map<string, string>();
  /** The problem of an object that renders what an earlier one renders, or writes its file. */
  const clash = (constructPath: string, path: string, key: string, what: () => string): Problem | undefined => {
    const prevKey = seenKeys.get(key);
    if (prevKey) return { constructPath, message: `renders ${what()}, which ${prevKey} already renders`, fix: 'give one of them another name' };
    const prevPath = seenPaths.get(path);
    if (prevPath) return { constructPath, message: `writes ${path}, which ${prevPath} already writes`, fix: 'rename one of the objects' };
    return undefined;
  };
  const add = (constructPath: string, path: string, key: string, what: () => string): boolean => {
    const problem = clash(constructPath, path, key, what);
    if (problem) {
      problems.push(problem);
      return false;
    }
    seenKeys.set(key, constructPath);
    seenPaths.set(path, constructPath);
    return true;
  };
  const restored: Unit[] = [];
  for (const c of nodes) {
    if (c instanceof Unit && c.restored) {
      restored.push(c);
      continue;
    }
    if (!(c instanceof ApiObject)) continue;
    let json: KubeJson;
    try {
      json = c.toJson() as KubeJson;
    } catch (e) {
      problems.push({ constructPath: c.node.path, message: `cannot render: ${(e as Error).message}` });
      continue;
    }
    const path = manifestPath(json);
    if (!add(c.node.path, path, objectKey(json), () => `${json.kind} ${json.metadata?.namespace ?? ''}/${json.metadata?.name}`)) continue;
    const construct = c;
    const unit = unitOf(c);
    objects.push({ json, path, constructPath: c.node.path, source: () => sourceOf(construct), ...(unit ? { unit } : {}) });
  }
  // Restored units last, checked against the objects rendered now only: their objects were checked
  // against each other in the run that recorded them (a run with a clash records nothing), so
  // a 60k-object platform costs two lookups per restored object instead of two insertions.
  for (const u of restored) {
    for (const o of restoredObjects(u, u.restored as RestoredUnit)) {
      const problem = clash(o.constructPath, o.path, o.identity, () => o.identity);
      if (problem) problems.push(problem);
      else objects.push(o);
    }
  }
  objects.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { env, inputs, platform: built.platform, objects, problems };
}

/** The path of the Unit `c` is inside, if any. */
function unitOf(c: IConstruct): string | undefined {
  for (let s = c.node.scope; s; s = s.node.scope) if (s instanceof Unit) return s.node.path;
  return undefined;
}

/**
 * An object of a Unit restored from the cache: identity from the record, JSON parsed from the
 * manifest on first use. A class, not a literal with closures: a restored 10,000-agent platform
 * makes 60k of them per run.
 */
class RestoredObject implements RenderedObject {
  private parsed: KubeJson | undefined;

  constructor(
    readonly path: string,
    readonly constructPath: string,
    readonly cacheKey: string,
    /** `objectKey` of the object (group/kind/namespace/name). */
    readonly identity: string,
    /** The unit's construct path. */
    readonly unit: string,
    private readonly owner: Unit,
    private readonly restored: RestoredUnit,
  ) {}

  get json(): KubeJson {
    return (this.parsed ??= this.restored.json(this.path));
  }

  source(): SourceLocation | undefined {
    return sourceOf(this.owner);
  }
}

/** The objects of a Unit restored from the cache. */
function restoredObjects(unit: Unit, restored: RestoredUnit): RestoredObject[] {
  const unitPath = unit.node.path;
  return restored.objects.map(([path, constructPath, cacheKey, identity]) => new RestoredObject(path, constructPath, cacheKey, identity, unitPath, unit, restored));
}
