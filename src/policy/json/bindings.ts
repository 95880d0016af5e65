/**
 * Immutable, lexically scoped variable bindings (`$name`) for expression evaluation.
 * Lazy entries are evaluated once on first use, like kyverno-json's `sync.OnceValues` context
 * entries, so a broken context entry only errors the rules that actually reference it.
 */
export class Bindings {
  private constructor(
    private readonly parent: Bindings | undefined,
    private readonly name: string,
    private readonly get: () => unknown,
  ) {}

  static readonly empty = new Bindings(undefined, '', () => undefined);

  /** Names are given without the `$`. */
  with(name: string, value: unknown): Bindings {
    return new Bindings(this, name, () => value);
  }

  withLazy(name: string, compute: () => unknown): Bindings {
    let state: { done: false } | { done: true; value: unknown } | { done: true; error: unknown } = { done: false };
    return new Bindings(this, name, () => {
      if (!state.done) {
        try {
          state = { done: true, value: compute() };
        } catch (error) {
          state = { done: true, error };
        }
      }
      if ('error' in state) throw state.error;
      return (state as { value: unknown }).value;
    });
  }

  has(name: string): boolean {
    for (let b: Bindings | undefined = this; b && b !== Bindings.empty; b = b.parent) if (b.name === name) return true;
    return false;
  }

  /** Throws when the binding is unknown or when its lazy computation fails. */
  resolve(name: string): unknown {
    for (let b: Bindings | undefined = this; b && b !== Bindings.empty; b = b.parent) if (b.name === name) return b.get();
    throw new Error(`undefined variable: $${name}`);
  }
}
