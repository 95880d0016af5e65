/**
 * Finding and loading `kyverno-test.yaml` files and the files they reference (paths relative to the
 * test file, as in `kyverno test`).
 */
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { KubernetesObject } from '../cel/types.ts';
import { decodeConfigBytes, isStackOverflow } from '../../util/yaml-source.ts';
import type { TestDocument, ValuesDocument } from './types.ts';

export const TEST_FILE_NAME = 'kyverno-test.yaml';

/** Every `kyverno-test.yaml` under `dir` (hidden folders such as `.kyverno-test` included), sorted. */
export async function findTestFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  async function visit(d: string): Promise<void> {
    const entries = await readdir(d, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const p = join(d, e.name);
      if (e.isDirectory() && e.name !== 'node_modules' && e.name !== '.git') await visit(p);
      else if (e.isFile() && e.name === TEST_FILE_NAME) out.push(p);
    }
  }
  await visit(dir);
  return out;
}

/** Parses a multi-document YAML file into its non-empty documents; throws naming the file and line. */
export async function readYamlDocuments(file: string): Promise<unknown[]> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(`${file}: cannot read file (${code ?? String(error)}); check the path in the kyverno-test.yaml`);
  }
  // Over 4 MiB or not UTF-8: refused (a lossy decode would test something other than the file).
  const text = decodeConfigBytes(bytes, file);
  const docs = parseAllDocuments(text);
  const list = Array.isArray(docs) ? docs : [docs];
  const out: unknown[] = [];
  for (const doc of list) {
    const err = doc.errors[0];
    if (err) {
      const line = err.linePos?.[0]?.line;
      const message = isStackOverflow(err.message) ? 'nesting deeper than the parser can follow; flatten the structure' : err.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
      throw new Error(`${file}${line !== undefined ? `:${line}` : ''}: invalid YAML: ${message}`);
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 1000 }) as unknown;
    } catch (error) {
      throw new Error(`${file}: cannot expand the document: ${(error as Error).message}; remove the repeated aliases (*name) and write the values out`);
    }
    if (value !== null && value !== undefined) out.push(value);
  }
  return out;
}

export interface LoadedDocument<T> {
  readonly file: string;
  readonly doc: T;
}

export interface LoadedTest {
  readonly file: string;
  readonly test: TestDocument;
  readonly policies: readonly LoadedDocument<unknown>[];
  readonly resources: readonly LoadedDocument<KubernetesObject>[];
  readonly values: ValuesDocument;
  /** Problems found while loading referenced files; the test still runs with what loaded. */
  readonly errors: readonly string[];
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Loads one test file. Throws only when the test file itself is unreadable or not a Test. */
export async function loadTest(file: string): Promise<LoadedTest> {
  const docs = await readYamlDocuments(file);
  const test = docs[0];
  if (!isObject(test) || docs.length !== 1) {
    throw new Error(`${file}: expected exactly one Test document (apiVersion cli.kyverno.io/v1alpha1, kind Test), got ${docs.length}`);
  }
  if (test.kind !== undefined && test.kind !== 'Test') {
    throw new Error(`${file}: kind must be Test, got ${JSON.stringify(test.kind)}`);
  }
  const t = test as TestDocument;
  const base = dirname(file);
  const errors: string[] = [];
  const load = async <T>(paths: readonly string[] | undefined, field: string, accept: (d: unknown) => d is T): Promise<LoadedDocument<T>[]> => {
    const out: LoadedDocument<T>[] = [];
    for (const rel of paths ?? []) {
      const p = resolve(base, rel);
      try {
        for (const doc of await readYamlDocuments(p)) {
          if (accept(doc)) out.push({ file: p, doc });
          else errors.push(`${p}: ${field} entry is not a Kubernetes object (needs apiVersion and kind)`);
        }
      } catch (error) {
        errors.push((error as Error).message);
      }
    }
    return out;
  };
  const isK8s = (d: unknown): d is KubernetesObject => isObject(d) && typeof d.apiVersion === 'string' && typeof d.kind === 'string';
  const policies = await load(t.policies, 'policies', isK8s);
  const resources = await load(t.resources, 'resources', isK8s);
  let values: ValuesDocument = {};
  const valuesPath = t.variables ?? t.values;
  if (typeof valuesPath === 'string') {
    try {
      const vdocs = await readYamlDocuments(resolve(base, valuesPath));
      if (isObject(vdocs[0])) values = vdocs[0] as ValuesDocument;
    } catch (error) {
      errors.push((error as Error).message);
    }
  }
  return { file, test: t, policies, resources, values, errors };
}
