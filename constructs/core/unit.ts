import { Construct } from 'constructs';
import { Platform } from './platform.ts';
import { recordSource } from './source.ts';

/**
 * Where a Unit looks up and records its output between runs. Synth provides one
 * (`src/synth/unit-cache.ts`) through `PlatformProps.units`; without one every Unit is built.
 */
export interface UnitStore {
  /**
   * The recorded output of the unit at `path` built from `inputs`, or undefined when there is none
   * or it no longer holds (other inputs, environment, SBOMs or code). The value is opaque to
   * constructs; the renderer reads it back.
   */
  restore(path: string, inputs: unknown): object | undefined;
  /** Called around the build of a unit that was not restored. */
  beginBuild(path: string, inputs: unknown): void;
  endBuild(path: string): void;
}

export interface UnitProps<T> {
  /**
   * Everything the unit's output depends on besides the environment, the SBOMs and the code: plain
   * JSON data (objects, arrays, strings, finite numbers, booleans, null). Usually the unit's slice
   * of a catalog, e.g. one tenant with its agents.
   */
  readonly inputs: T;
  /**
   * Creates the unit's constructs under `scope`. It must be a function of `inputs`, the environment
   * (through the EnvironmentContext) and the code only: constructs outside the unit must not hold on
   * to constructs inside it, nor the other way round, because a restored unit builds nothing.
   */
  readonly build: (scope: Construct, inputs: T) => void;
}

/**
 * A unit of incremental synthesis: a subtree whose rendered objects are cached by an input hash.
 *
 * When the Platform has a `UnitStore` (synth gives it one) and the store holds this unit's output
 * for the same `inputs`, environment, SBOMs and code, `build` is not called at all: the unit's
 * objects are taken from the previous run, so an unchanged tenant costs neither construction nor
 * rendering nor serialization. Otherwise `build` runs now, exactly as if the constructs were created
 * inline. The output is the same bytes either way (`test/synth/unit-cache.test.ts`).
 *
 * A platform with thousands of agents described by data wraps each tenant in a Unit; a small
 * platform does not need any. Units do not nest.
 */
export class Unit<T = unknown> extends Construct {
  /** The store's record when the unit was restored instead of built (read by the renderer). */
  readonly restored: object | undefined;

  constructor(scope: Construct, id: string, props: UnitProps<T>) {
    super(scope, id);
    recordSource(this);
    for (let c = scope as Construct | undefined; c; c = c.node.scope as Construct | undefined) {
      if (c instanceof Unit) throw new Error(`Unit "${this.node.path}" is inside Unit "${c.node.path}"; units do not nest: make "${id}" a plain construct or move it out of "${c.node.id}"`);
    }
    assertPlainJson(props.inputs, this.node.path, []);
    const store = Platform.of(this).units;
    this.restored = store?.restore(this.node.path, props.inputs);
    if (this.restored) return;
    store?.beginBuild(this.node.path, props.inputs);
    props.build(this, props.inputs);
    store?.endBuild(this.node.path);
  }
}

/**
 * Refuses inputs whose JSON would not describe them (functions, class instances, NaN...). `at` is
 * the path from `inputs` down to `value`, formatted only for the error: inputs of a 10,000-agent
 * catalog are walked on every run.
 */
function assertPlainJson(value: unknown, unit: string, at: (string | number)[]): void {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return;
    case 'number':
      if (!Number.isFinite(value) || Object.is(value, -0)) notPlain(unit, at, String(value));
      return;
    case 'object': {
      if (value === null) return;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          at.push(i);
          assertPlainJson(value[i], unit, at);
          at.pop();
        }
        return;
      }
      const proto = Object.getPrototypeOf(value) as unknown;
      if (proto !== Object.prototype && proto !== null) notPlain(unit, at, `a ${(value as object).constructor?.name ?? 'non-plain'} object`);
      for (const k of Object.keys(value)) {
        const v = (value as Record<string, unknown>)[k];
        if (v === undefined) notPlain(unit, at, `undefined at key "${k}"`);
        at.push(k);
        assertPlainJson(v, unit, at);
        at.pop();
      }
      return;
    }
    default:
      notPlain(unit, at, `a ${typeof value}`);
  }
}

function notPlain(unit: string, at: readonly (string | number)[], what: string): never {
  const path = at.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('');
  throw new Error(`Unit "${unit}": inputs${path} is ${what}; unit inputs must be plain JSON data (objects, arrays, strings, finite numbers, booleans, null) so their hash describes them`);
}
