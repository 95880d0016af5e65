/**
 * Loading `json.kyverno.io/v1alpha1` `ValidatingPolicy` documents: structural validation in the
 * spirit of the CRD schema (unknown fields rejected, required fields enforced), then compilation
 * of every expression, so that a policy that loads can be evaluated many times without parsing.
 *
 * The structural checks are hand-written because the CRD is not shipped with Lockstep and the
 * schema is small; messages name the file, the JSON pointer and the line.
 */
import { LineCounter, parseAllDocuments, type Document } from 'yaml';
import { LockstepError, type Problem } from '../../util/errors.ts';
import { displayPointer } from '../../util/yaml-source.ts';
import { compileTree, compileValue, pointerChild, type CompileProblem, type TreeNode, type ValueHandler } from './assertion-tree.ts';
import type { CompilerName } from './expression.ts';
import { jsonType } from './functions/kyverno.ts';
import { compileJp, type CompiledJp } from './jmespath.ts';
import { compileMessage, type CompiledMessage } from './message.ts';

export const JSON_POLICY_API_VERSION = 'json.kyverno.io/v1alpha1';
export const JSON_POLICY_KIND = 'ValidatingPolicy';

export interface MatchBlock {
  readonly any: readonly TreeNode[];
  readonly all: readonly TreeNode[];
}

export interface CompiledAssertion {
  /** kyverno-json's CHECK path, e.g. `spec.rules[0].assert.all[1]`. */
  readonly check: string;
  readonly tree: TreeNode;
  readonly message?: CompiledMessage;
}

export interface JsonRule {
  readonly name: string;
  readonly index: number;
  /** The rule as written, for reports. */
  readonly definition: Readonly<Record<string, unknown>>;
  readonly context: ReadonlyArray<{ readonly name: string; readonly value: ValueHandler }>;
  readonly match?: MatchBlock;
  readonly exclude?: MatchBlock;
  readonly identifier?: CompiledJp;
  readonly feedback: ReadonlyArray<{ readonly name: string; readonly value: ValueHandler }>;
  readonly assert: { readonly any: readonly CompiledAssertion[]; readonly all: readonly CompiledAssertion[] };
}

export interface JsonPolicy {
  readonly name: string;
  readonly file: string;
  readonly labels: Readonly<Record<string, string>>;
  /** The policy document as written, for reports that echo it (like `kyverno-json scan -o json`). */
  readonly document: Readonly<Record<string, unknown>>;
  readonly rules: readonly JsonRule[];
}

type Fields = Readonly<Record<string, 'required' | 'optional'>>;

class Checker {
  readonly problems: CompileProblem[] = [];

  object(value: unknown, pointer: string, fields: Fields, what: string): Record<string, unknown> | undefined {
    if (jsonType(value) !== 'object') {
      this.problems.push({ pointer, message: `${what} must be an object, got ${describe(value)}` });
      return undefined;
    }
    const obj = value as Record<string, unknown>;
    for (const key of Object.keys(obj)) {
      if (!(key in fields)) {
        this.problems.push({
          pointer: pointerChild(pointer, key),
          message: `unknown field ${JSON.stringify(key)} in ${what}; allowed fields are ${Object.keys(fields).join(', ')}`,
        });
      }
    }
    for (const [key, need] of Object.entries(fields)) {
      if (need === 'required' && (obj[key] === undefined || obj[key] === null)) {
        this.problems.push({ pointer: pointerChild(pointer, key), message: `${what} is missing the required field ${JSON.stringify(key)}` });
      }
    }
    return obj;
  }

  array(value: unknown, pointer: string, what: string): unknown[] {
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) {
      this.problems.push({ pointer, message: `${what} must be a list, got ${describe(value)}` });
      return [];
    }
    return value;
  }

  string(value: unknown, pointer: string, what: string): string | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') {
      this.problems.push({ pointer, message: `${what} must be a string, got ${describe(value)}` });
      return undefined;
    }
    return value;
  }

  compiler(value: unknown, pointer: string, inherited: CompilerName): CompilerName {
    if (value === undefined || value === null) return inherited;
    if (value !== 'jp' && value !== 'cel') {
      this.problems.push({ pointer, message: `compiler must be "jp" or "cel", got ${describe(value)}` });
      return inherited;
    }
    return value;
  }
}

function describe(value: unknown): string {
  const t = jsonType(value);
  return t === 'object' || t === 'array' ? `an ${t}` : `${t} ${JSON.stringify(value)}`;
}

/**
 * Parses and compiles every policy in a (multi-document) YAML text. Empty documents are skipped.
 * Throws one LockstepError listing every problem, each with file, JSON pointer and line.
 */
export function loadJsonPolicies(yamlText: string, file: string): JsonPolicy[] {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(yamlText, { lineCounter });
  const problems: Problem[] = [];
  const policies: JsonPolicy[] = [];
  const docList = Array.isArray(docs) ? docs : [];
  if (!Array.isArray(docs)) {
    problems.push({ file, message: 'expected YAML documents, found an empty stream marker only' });
  }
  docList.forEach((doc) => {
    if (doc.errors.length > 0) {
      for (const err of doc.errors) {
        const pos = err.linePos?.[0];
        problems.push({ file, message: `invalid YAML: ${err.message.split('\n')[0]}`, ...(pos ? { line: pos.line, column: pos.col } : {}) });
      }
      return;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 }) as unknown;
    } catch (e) {
      // Unresolved aliases and alias bombs surface here, not in doc.errors.
      problems.push({ file, message: `cannot expand the document: ${(e as Error).message.split('\n')[0]}`, fix: 'define each anchor (&name) before its alias (*name), and write repeated values out' });
      return;
    }
    if (value === null || value === undefined) return;
    const checker = new Checker();
    const policy = compilePolicy(value, file, checker);
    for (const p of checker.problems) problems.push(locate(p, file, doc, lineCounter));
    if (policy && checker.problems.length === 0) policies.push(policy);
  });
  if (problems.length > 0) throw new LockstepError(problems);
  return policies;
}

function locate(p: CompileProblem, file: string, doc: Document.Parsed, lineCounter: LineCounter): Problem {
  const segments = p.pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  // Walk up to the closest existing node (a missing field points at its parent).
  for (let n = segments.length; n >= 0; n--) {
    const path = segments.slice(0, n).map((s) => (/^\d+$/.test(s) ? Number(s) : s));
    const node = (n === 0 ? doc.contents : doc.getIn(path, true)) as { range?: [number, number, number] } | undefined;
    if (node && node.range) {
      const pos = lineCounter.linePos(node.range[0]);
      return { file, pointer: displayPointer(p.pointer), line: pos.line, column: pos.col, message: p.message };
    }
  }
  return { file, pointer: displayPointer(p.pointer), message: p.message };
}

function compilePolicy(value: unknown, file: string, c: Checker): JsonPolicy | undefined {
  if (jsonType(value) !== 'object') {
    c.problems.push({ pointer: '', message: `a policy document must be an object, got ${describe(value)}` });
    return undefined;
  }
  const doc = value as Record<string, unknown>;
  if (doc.apiVersion !== JSON_POLICY_API_VERSION || doc.kind !== JSON_POLICY_KIND) {
    c.problems.push({
      pointer: '',
      message: `policy type not supported: apiVersion ${JSON.stringify(doc.apiVersion ?? null)}, kind ${JSON.stringify(doc.kind ?? null)}; expected apiVersion ${JSON_POLICY_API_VERSION}, kind ${JSON_POLICY_KIND}`,
    });
    return undefined;
  }
  c.object(doc, '', { apiVersion: 'required', kind: 'required', metadata: 'required', spec: 'required' }, 'the policy');
  const metadata = jsonType(doc.metadata) === 'object' ? (doc.metadata as Record<string, unknown>) : {};
  const name = c.string(metadata.name, '/metadata/name', 'metadata.name');
  if (doc.metadata !== undefined && name === undefined && metadata.name === undefined) {
    c.problems.push({ pointer: '/metadata/name', message: 'metadata is missing the required field "name"' });
  }
  const labels: Record<string, string> = {};
  if (jsonType(metadata.labels) === 'object') {
    for (const [k, v] of Object.entries(metadata.labels as Record<string, unknown>)) if (typeof v === 'string') labels[k] = v;
  }
  if (doc.spec === undefined || doc.spec === null) return undefined;
  const spec = c.object(doc.spec, '/spec', { compiler: 'optional', rules: 'required' }, 'spec');
  if (!spec) return undefined;
  const compiler = c.compiler(spec.compiler, '/spec/compiler', 'jp');
  const rules = c.array(spec.rules, '/spec/rules', 'spec.rules').flatMap((r, i) => {
    const rule = compileRule(r, i, compiler, c);
    return rule ? [rule] : [];
  });
  return { name: name ?? '', file, labels, document: doc, rules };
}

const RULE_FIELDS: Fields = {
  name: 'required',
  compiler: 'optional',
  context: 'optional',
  match: 'optional',
  exclude: 'optional',
  identifier: 'optional',
  feedback: 'optional',
  assert: 'required',
};

function compileRule(value: unknown, index: number, inherited: CompilerName, c: Checker): JsonRule | undefined {
  const at = `/spec/rules/${index}`;
  const rule = c.object(value, at, RULE_FIELDS, `rule ${index}`);
  if (!rule) return undefined;
  const name = c.string(rule.name, `${at}/name`, 'rule name');
  if (name !== undefined && (name.length === 0 || name.length > 63)) {
    c.problems.push({ pointer: `${at}/name`, message: `rule name must be 1 to 63 characters, got ${name.length}` });
  }
  const compiler = c.compiler(rule.compiler, `${at}/compiler`, inherited);
  const context = c.array(rule.context, `${at}/context`, 'context').flatMap((e, i) => {
    const p = `${at}/context/${i}`;
    const entry = c.object(e, p, { name: 'required', compiler: 'optional', variable: 'optional' }, 'a context entry');
    if (!entry) return [];
    const entryName = c.string(entry.name, `${p}/name`, 'context name') ?? '';
    const entryCompiler = c.compiler(entry.compiler, `${p}/compiler`, compiler);
    return [{ name: entryName, value: compileValue(entry.variable ?? null, entryCompiler, `${p}/variable`, c.problems) }];
  });
  const feedback = c.array(rule.feedback, `${at}/feedback`, 'feedback').flatMap((e, i) => {
    const p = `${at}/feedback/${i}`;
    const entry = c.object(e, p, { name: 'required', compiler: 'optional', value: 'optional' }, 'a feedback entry');
    if (!entry) return [];
    const entryCompiler = c.compiler(entry.compiler, `${p}/compiler`, compiler);
    return [{ name: c.string(entry.name, `${p}/name`, 'feedback name') ?? '', value: compileValue(entry.value ?? null, entryCompiler, `${p}/value`, c.problems) }];
  });
  let identifier: CompiledJp | undefined;
  const idText = c.string(rule.identifier, `${at}/identifier`, 'identifier');
  if (idText) {
    try {
      identifier = compileJp(idText);
    } catch (e) {
      c.problems.push({ pointer: `${at}/identifier`, message: (e as Error).message });
    }
  }
  const match = compileMatch(rule.match, `${at}/match`, compiler, c);
  const exclude = compileMatch(rule.exclude, `${at}/exclude`, compiler, c);
  const assert = compileAssert(rule.assert, index, `${at}/assert`, compiler, c);
  if (name === undefined || !assert) return undefined;
  return {
    name,
    index,
    definition: rule,
    context,
    ...(match ? { match } : {}),
    ...(exclude ? { exclude } : {}),
    ...(identifier ? { identifier } : {}),
    feedback,
    assert,
  };
}

function compileMatch(value: unknown, pointer: string, inherited: CompilerName, c: Checker): MatchBlock | undefined {
  if (value === undefined || value === null) return undefined;
  const block = c.object(value, pointer, { compiler: 'optional', any: 'optional', all: 'optional' }, pointer.endsWith('match') ? 'match' : 'exclude');
  if (!block) return undefined;
  const compiler = c.compiler(block.compiler, `${pointer}/compiler`, inherited);
  const any = c.array(block.any, `${pointer}/any`, 'any').map((t, i) => compileTree(t, compiler, `${pointer}/any/${i}`, c.problems));
  const all = c.array(block.all, `${pointer}/all`, 'all').map((t, i) => compileTree(t, compiler, `${pointer}/all/${i}`, c.problems));
  if (any.length === 0 && all.length === 0) {
    c.problems.push({ pointer, message: 'an empty match is not valid; give at least one assertion tree under any or all, or remove the block' });
  }
  return { any, all };
}

function compileAssert(value: unknown, ruleIndex: number, pointer: string, inherited: CompilerName, c: Checker) {
  if (value === undefined || value === null) return undefined;
  const block = c.object(value, pointer, { compiler: 'optional', any: 'optional', all: 'optional' }, 'assert');
  if (!block) return undefined;
  const compiler = c.compiler(block.compiler, `${pointer}/compiler`, inherited);
  const compileList = (kind: 'any' | 'all'): CompiledAssertion[] =>
    c.array(block[kind], `${pointer}/${kind}`, kind).flatMap((a, i) => {
      const p = `${pointer}/${kind}/${i}`;
      const assertion = c.object(a, p, { compiler: 'optional', message: 'optional', check: 'required' }, 'an assertion');
      if (!assertion) return [];
      const assertionCompiler = c.compiler(assertion.compiler, `${p}/compiler`, compiler);
      let message: CompiledMessage | undefined;
      const text = c.string(assertion.message, `${p}/message`, 'message');
      if (text !== undefined) {
        try {
          message = compileMessage(text);
        } catch (e) {
          c.problems.push({ pointer: `${p}/message`, message: (e as Error).message });
        }
      }
      return [
        {
          check: `spec.rules[${ruleIndex}].assert.${kind}[${i}]`,
          tree: compileTree(assertion.check ?? null, assertionCompiler, `${p}/check`, c.problems),
          ...(message ? { message } : {}),
        },
      ];
    });
  const any = compileList('any');
  const all = compileList('all');
  if (any.length === 0 && all.length === 0) {
    c.problems.push({ pointer, message: 'an empty assert is not valid; give at least one assertion under any or all' });
  }
  return { any, all };
}
