/**
 * The shape of a ValidatingPolicy's spec, checked before compiling: the compiler and the matcher
 * read `spec.variables.map(…)`, `rule.operations.some(…)` and so on, so a hand-written policy with
 * a string where a list belongs must be refused with a message, not crash with a TypeError.
 *
 * Hand-written because the Kyverno CRD schema is not shipped with Lockstep; only the fields the
 * engine reads are checked (unknown fields are left to the CRD, as Kyverno's own CLI does).
 */
import type { Problem } from '../../util/errors.ts';

type Kind = 'object' | 'array' | 'string' | 'string[]' | 'object[]';

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return JSON.stringify(v) ?? typeof v;
}

function fits(v: unknown, kind: Kind): boolean {
  switch (kind) {
    case 'object':
      return typeof v === 'object' && v !== null && !Array.isArray(v);
    case 'array':
      return Array.isArray(v);
    case 'string':
      return typeof v === 'string';
    case 'string[]':
      return Array.isArray(v) && v.every((x) => typeof x === 'string');
    case 'object[]':
      return Array.isArray(v) && v.every((x) => fits(x, 'object'));
  }
}

const WORDS: Record<Kind, string> = {
  object: 'a mapping',
  array: 'a list',
  string: 'a string',
  'string[]': 'a list of strings',
  'object[]': 'a list of mappings',
};

class Shape {
  readonly problems: Problem[] = [];
  constructor(private readonly where: string) {}

  /** Checks `parent[key]` (absent is fine); returns the value when it has the kind. */
  field(parent: Record<string, unknown>, key: string, path: string, kind: Kind): unknown {
    const v = parent[key];
    if (v === undefined || v === null) return undefined;
    if (fits(v, kind)) return v;
    this.problems.push({ message: `${this.where}: ${path}.${key} must be ${WORDS[kind]}, got ${kindOf(v)}`, fix: 'write the field as the ValidatingPolicy CRD describes it' });
    return undefined;
  }

  selector(parent: Record<string, unknown>, key: string, path: string): void {
    const s = this.field(parent, key, path, 'object') as Record<string, unknown> | undefined;
    if (!s) return;
    const labels = this.field(s, 'matchLabels', `${path}.${key}`, 'object') as Record<string, unknown> | undefined;
    for (const [k, v] of Object.entries(labels ?? {})) {
      if (typeof v !== 'string') this.problems.push({ message: `${this.where}: ${path}.${key}.matchLabels.${k} must be a string, got ${kindOf(v)}` });
    }
    const exprs = (this.field(s, 'matchExpressions', `${path}.${key}`, 'object[]') ?? []) as Record<string, unknown>[];
    exprs.forEach((e, i) => {
      const at = `${path}.${key}.matchExpressions[${i}]`;
      this.field(e, 'key', at, 'string');
      this.field(e, 'operator', at, 'string');
      this.field(e, 'values', at, 'string[]');
    });
  }

  rules(parent: Record<string, unknown>, key: string, path: string): void {
    const rules = (this.field(parent, key, path, 'object[]') ?? []) as Record<string, unknown>[];
    rules.forEach((r, i) => {
      for (const f of ['apiGroups', 'apiVersions', 'operations', 'resources', 'resourceNames']) this.field(r, f, `${path}.${key}[${i}]`, 'string[]');
      this.field(r, 'scope', `${path}.${key}[${i}]`, 'string');
    });
  }

  named(parent: Record<string, unknown>, key: string, fields: readonly string[], options: { uniqueName?: boolean } = {}): void {
    const list = (this.field(parent, key, 'spec', 'object[]') ?? []) as Record<string, unknown>[];
    const names = new Set<unknown>();
    list.forEach((e, i) => {
      for (const f of fields) this.field(e, f, `spec.${key}[${i}]`, 'string');
      if (!options.uniqueName) return;
      // Variables and match conditions are looked up by name: each needs one, used once.
      if (typeof e.name !== 'string' || e.name === '') this.problems.push({ message: `${this.where}: spec.${key}[${i}].name is required`, fix: 'give every entry a unique name' });
      else if (names.has(e.name)) this.problems.push({ message: `${this.where}: spec.${key}[${i}].name ${JSON.stringify(e.name)} is used twice`, fix: 'give every entry a unique name' });
      names.add(e.name);
    });
  }
}

/** Problems with the shape of `spec` (and `metadata`), each naming the field and what it got. */
export function checkPolicyShape(policy: { metadata?: unknown; spec?: unknown }, where: string): Problem[] {
  const s = new Shape(where);
  s.field(policy as Record<string, unknown>, 'metadata', 'policy', 'object');
  const spec = s.field(policy as Record<string, unknown>, 'spec', 'policy', 'object') as Record<string, unknown> | undefined;
  if (!spec) return s.problems;
  const match = s.field(spec, 'matchConstraints', 'spec', 'object') as Record<string, unknown> | undefined;
  if (match) {
    s.rules(match, 'resourceRules', 'spec.matchConstraints');
    s.rules(match, 'excludeResourceRules', 'spec.matchConstraints');
    s.selector(match, 'namespaceSelector', 'spec.matchConstraints');
    s.selector(match, 'objectSelector', 'spec.matchConstraints');
  }
  s.named(spec, 'matchConditions', ['name'], { uniqueName: true });
  s.named(spec, 'variables', ['name'], { uniqueName: true });
  s.named(spec, 'validations', ['message', 'reason']);
  s.field(spec, 'validationActions', 'spec', 'string[]');
  s.field(spec, 'failurePolicy', 'spec', 'string');
  const autogen = s.field(spec, 'autogen', 'spec', 'object') as Record<string, unknown> | undefined;
  const pc = autogen ? (s.field(autogen, 'podControllers', 'spec.autogen', 'object') as Record<string, unknown> | undefined) : undefined;
  if (pc) s.field(pc, 'controllers', 'spec.autogen.podControllers', 'string[]');
  return s.problems;
}
