import type { Resources } from '../../constructs/index.ts';
import type { EnvironmentConfig } from '../config/types.ts';
import type { Problem } from '../util/errors.ts';

/**
 * What a platform definition reads from its environment. It records which per-workload overrides
 * were used, so an override that names no workload (a typo, or a removed agent) is an error
 * instead of a silently ignored setting.
 */
export class EnvironmentContext {
  private readonly usedReplicas = new Set<string>();
  private readonly usedResources = new Set<string>();
  private readonly usedImages = new Set<string>();
  private readonly usedEgress = new Set<string>();
  private readonly usedEndpoints = new Set<string>();

  constructor(readonly env: EnvironmentConfig, readonly file: string, private readonly resolvedImages: Readonly<Record<string, string>> = env.images) {}

  get stage() {
    return this.env.stage;
  }

  replicas(workload: string, fallback?: number): number {
    this.use('replicas', this.usedReplicas, workload);
    return this.env.replicas.workloads[workload] ?? fallback ?? this.env.replicas.default;
  }

  resources(workload: string, fallback: Resources): Resources {
    this.use('resources', this.usedResources, workload);
    return this.env.resources.workloads[workload] ?? fallback;
  }

  image(key: string): string {
    this.use('images', this.usedImages, key);
    const ref = this.resolvedImages[key];
    if (ref === undefined) {
      throw new MissingSettingError({ file: this.file, pointer: `/images/${key}`, message: `the platform needs image "${key}", which this environment does not name`, fix: `add images.${key}: <repo>:<tag>@sha256:…` });
    }
    return ref;
  }

  egress(key: string): readonly string[] {
    this.use('egress', this.usedEgress, key);
    const list = this.env.egress[key];
    if (list === undefined) {
      throw new MissingSettingError({ file: this.file, pointer: `/egress/${key}`, message: `the platform needs the egress list "${key}", which this environment does not define`, fix: `add egress.${key}: [<CIDR>, …]` });
    }
    return list;
  }

  endpoint(key: string): string {
    this.use('endpoints', this.usedEndpoints, key);
    const url = this.env.endpoints[key];
    if (url === undefined) {
      throw new MissingSettingError({ file: this.file, pointer: `/endpoints/${key}`, message: `the platform needs the endpoint "${key}", which this environment does not define`, fix: `add endpoints.${key}: https://…` });
    }
    return url;
  }

  get apiServerCidrs(): string[] {
    return [...new Set(this.env.clusters.flatMap((c) => c.apiServerCidrs))].sort();
  }

  private observer: ((setting: string) => void) | undefined;

  /** Calls `listener` with every setting read from now on, as `section:key` (a Unit records the ones its build read). */
  observe(listener: ((setting: string) => void) | undefined): void {
    this.observer = listener;
  }

  private use(section: string, used: Set<string>, key: string): void {
    used.add(key);
    this.observer?.(`${section}:${key}`);
  }

  /** Marks settings as read, for a Unit restored from the cache instead of built. */
  markUsed(settings: readonly string[]): void {
    const sections = new Map(this.sections());
    for (const s of settings) {
      const i = s.indexOf(':');
      sections.get(s.slice(0, i))?.add(s.slice(i + 1));
    }
  }

  private sections(): [string, Set<string>][] {
    return [['replicas', this.usedReplicas], ['resources', this.usedResources], ['images', this.usedImages], ['egress', this.usedEgress], ['endpoints', this.usedEndpoints]];
  }

  /** Settings that name nothing the platform uses. */
  unusedSettings(): Problem[] {
    const problems: Problem[] = [];
    const report = (section: string, keys: readonly string[], used: Set<string>, what: string) => {
      const known = [...used].sort();
      for (const k of keys) {
        if (!used.has(k)) problems.push({ file: this.file, pointer: `${section}/${k}`, message: `no ${what} named "${k}" in the platform`, fix: `remove it or use one of: ${known.join(', ')}` });
      }
    };
    report('/replicas/workloads', Object.keys(this.env.replicas.workloads), this.usedReplicas, 'workload');
    report('/resources/workloads', Object.keys(this.env.resources.workloads), this.usedResources, 'workload');
    report('/images', Object.keys(this.env.images), this.usedImages, 'image');
    report('/egress', Object.keys(this.env.egress), this.usedEgress, 'egress list');
    report('/endpoints', Object.keys(this.env.endpoints), this.usedEndpoints, 'endpoint');
    return problems;
  }
}

/** A setting the platform needs is missing from the environment. */
export class MissingSettingError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.message);
  }
}
