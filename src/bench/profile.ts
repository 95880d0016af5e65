/**
 * Summarizes a V8 CPU profile (`node --cpu-prof`): self time per function and per module, where a
 * module is an npm package (`cdk8s`, `js-yaml`, `@marcbachmann/cel-js`), a repository file
 * (`src/synth/render.ts`), Node's internals, or V8 pseudo-frames (GC, program, idle).
 */
import { fileURLToPath } from 'node:url';

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
}

/** The parts of a `.cpuprofile` this summary reads. */
export interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  /** Microseconds since the previous sample. */
  readonly timeDeltas: readonly number[];
}

export interface SelfTime {
  readonly name: string;
  /** Module of the function (see `moduleOf`). */
  readonly module: string;
  readonly millis: number;
  readonly share: number;
}

export interface ProfileSummary {
  readonly totalMillis: number;
  /** Self time by area: npm package, or the repository's top two folders (`src/policy`, `constructs/core`). */
  readonly areas: readonly SelfTime[];
  /** Self time by module (package or file). */
  readonly modules: readonly SelfTime[];
  readonly functions: readonly SelfTime[];
}

const PSEUDO: Readonly<Record<string, string>> = {
  '(garbage collector)': 'GC',
  '(program)': 'V8/native (program)',
  '(idle)': 'idle',
  '(root)': 'root',
};

/** Where a function lives: package name, repository-relative file, `node:internal`, or a V8 pseudo-frame. */
export function moduleOf(frame: CallFrame, repoRoot: string): string {
  if (PSEUDO[frame.functionName] && frame.url === '') return PSEUDO[frame.functionName]!;
  const url = frame.url;
  if (url === '') return 'V8/native';
  if (url.startsWith('node:')) return 'node:internal';
  let path = url;
  if (url.startsWith('file://')) {
    try {
      path = fileURLToPath(url);
    } catch {
      path = url;
    }
  }
  const nm = path.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = path.slice(nm + '/node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  const root = repoRoot.endsWith('/') ? repoRoot : `${repoRoot}/`;
  return path.startsWith(root) ? path.slice(root.length) : path;
}

/** The coarse grouping of a module: packages stay, repository files collapse to their folder. */
export function areaOf(module: string): string {
  if (!/\.(ts|js|mjs|cjs)$/.test(module) || module.startsWith('/')) return module;
  const parts = module.split('/');
  return parts.length > 2 ? parts.slice(0, 2).join('/') : parts.slice(0, -1).join('/') || module;
}

function ranked(map: ReadonlyMap<string, { module: string; micros: number }>, total: number, limit: number): SelfTime[] {
  return [...map.entries()]
    .sort((a, b) => b[1].micros - a[1].micros || (a[0] < b[0] ? -1 : 1))
    .slice(0, limit)
    .map(([name, v]) => ({ name, module: v.module, millis: v.micros / 1000, share: total > 0 ? v.micros / total : 0 }));
}

export function summarizeCpuProfile(profile: CpuProfile, repoRoot: string, limit = 20): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const fns = new Map<string, { module: string; micros: number }>();
  const modules = new Map<string, { module: string; micros: number }>();
  const areas = new Map<string, { module: string; micros: number }>();
  let total = 0;
  const add = (map: Map<string, { module: string; micros: number }>, key: string, module: string, micros: number) => {
    const e = map.get(key);
    if (e) e.micros += micros;
    else map.set(key, { module, micros });
  };
  for (let i = 0; i < profile.samples.length; i++) {
    const node = byId.get(profile.samples[i]!);
    const micros = profile.timeDeltas[i] ?? 0;
    if (!node || micros <= 0) continue;
    const module = moduleOf(node.callFrame, repoRoot);
    if (module === 'idle') continue;
    total += micros;
    const fn = node.callFrame.functionName || '(anonymous)';
    // Lines of TypeScript files are those of tsx's transpiled output, so they are left out.
    const line = module.endsWith('.ts') ? '' : `:${node.callFrame.lineNumber + 1}`;
    add(fns, `${fn} (${module}${line})`, module, micros);
    add(modules, module, module, micros);
    add(areas, areaOf(module), areaOf(module), micros);
  }
  return { totalMillis: total / 1000, areas: ranked(areas, total, limit), modules: ranked(modules, total, limit), functions: ranked(fns, total, limit) };
}

function rows(list: readonly SelfTime[]): string[] {
  const w = Math.max(...list.map((x) => x.name.length), 4);
  return list.map((x) => `  ${x.name.padEnd(w)}  ${x.millis.toFixed(0).padStart(7)} ms  ${(x.share * 100).toFixed(1).padStart(5)} %`);
}

export function formatProfileSummary(s: ProfileSummary, title: string): string {
  return [
    `${title}: ${(s.totalMillis / 1000).toFixed(2)} s sampled (idle excluded), self time`,
    'by area:',
    ...rows(s.areas),
    'by module:',
    ...rows(s.modules),
    'top functions:',
    ...rows(s.functions),
  ].join('\n');
}
