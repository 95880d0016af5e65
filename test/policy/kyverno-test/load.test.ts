import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findTestFiles, loadTest, readYamlDocuments } from '../../../src/policy/kyverno-test/load.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lockstep-load-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function write(rel: string, text: string): Promise<string> {
  const p = join(dir, rel);
  await mkdir(join(p, '..'), { recursive: true });
  await writeFile(p, text);
  return p;
}

describe('loading kyverno tests', () => {
  it('finds kyverno-test.yaml files in hidden folders, sorted', async () => {
    await write('b/.kyverno-test/kyverno-test.yaml', 'kind: Test\n');
    await write('a/kyverno-test.yaml', 'kind: Test\n');
    await write('a/other.yaml', 'kind: Test\n');
    expect(await findTestFiles(dir)).toEqual([join(dir, 'a/kyverno-test.yaml'), join(dir, 'b/.kyverno-test/kyverno-test.yaml')]);
  });

  it('reads multi-document YAML and drops empty documents', async () => {
    const p = await write('r.yaml', '---\na: 1\n---\n---\nb: 2\n');
    expect(await readYamlDocuments(p)).toEqual([{ a: 1 }, { b: 2 }]);
  });

  it('fails when YAML is invalid, naming the file and line', async () => {
    const p = await write('bad.yaml', 'a: 1\nb: [\n');
    await expect(readYamlDocuments(p)).rejects.toThrow(/bad.yaml:\d+: invalid YAML: /);
  });

  it('fails when the test file holds more than one document', async () => {
    const p = await write('kyverno-test.yaml', 'kind: Test\n---\nkind: Test\n');
    await expect(loadTest(p)).rejects.toThrow(/expected exactly one Test document \(apiVersion cli.kyverno.io\/v1alpha1, kind Test\), got 2/);
  });

  it('records referenced documents that are not Kubernetes objects', async () => {
    await write('res.yaml', 'just: data\n');
    const p = await write('kyverno-test.yaml', 'kind: Test\nresources: [res.yaml]\n');
    const loaded = await loadTest(p);
    expect(loaded.errors[0]).toMatch(/res.yaml: resources entry is not a Kubernetes object \(needs apiVersion and kind\)/);
  });
});
