/**
 * The report as a person sees it: rendered for every environment of the example platform, opened
 * from a file:// URL in headless Chromium (Debian's package, driven by playwright-core), with every
 * non-file request refused and recorded. Screenshots go to test-results/report-<env>.png (whole
 * page) and test-results/report-<env>-network.png (the flow graph).
 *
 * Needs /usr/bin/chromium: `scripts/install-browser.sh` installs it. Without it the tests fail
 * (they are never skipped).
 */
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { podTemplateOf } from '../../../src/k8s/objects.ts';
import { buildExamplePlatform } from '../../../src/platform/index.ts';
import { renderReport } from '../../../src/review/report/report.ts';
import { synthesize, type EnvironmentSynth } from '../../../src/synth/synth.ts';

const CHROMIUM = '/usr/bin/chromium';
const REPO = join(import.meta.dirname, '../../..');
const ENVIRONMENTS = ['dev', 'staging', 'production'];

let root: string | undefined;
let profile: string | undefined;
let rendered: Map<string, EnvironmentSynth>;
let context: BrowserContext | undefined;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is not installed (${CHROMIUM} not found): run scripts/install-browser.sh, which installs Debian's chromium package, then run the tests again`);
  }
  // A scratch copy of the inputs, so the committed dist/ is never touched. Synth's own gates are
  // synth's tests' business; the report only needs the rendering.
  const scratch = await mkdtemp(join(tmpdir(), 'lockstep-report-browser-'));
  root = scratch;
  await cp(join(REPO, 'environments'), join(scratch, 'environments'), { recursive: true });
  await cp(join(REPO, 'sboms'), join(scratch, 'sboms'), { recursive: true });
  const results = await synthesize({ root: scratch, environments: ENVIRONMENTS, define: buildExamplePlatform });
  rendered = new Map(results.map((r) => [r.name, r]));
  profile = await mkdtemp(join(tmpdir(), 'lockstep-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1400, height: 1000 },
  });
}, 180_000);

afterAll(async () => {
  await context?.close();
  for (const dir of [root, profile]) if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the report in headless Chromium', () => {
  for (const env of ENVIRONMENTS) {
    it(`shows the ${env} report with no console error, no network request, and the flow graph of its NetworkPolicies`, async () => {
      const r = rendered.get(env)!;
      const file = join(root!, `report-${env}.html`);
      await writeFile(file, await renderReport({ root: root!, env }));

      const page = await context!.newPage();
      const consoleErrors: string[] = [];
      const requests: string[] = [];
      page.on('console', (m) => void (m.type() === 'error' && consoleErrors.push(m.text())));
      page.on('pageerror', (e) => void consoleErrors.push(String(e)));
      page.on('request', (q) => void (!/^(file|data):/.test(q.url()) && requests.push(q.url())));
      await page.route('**/*', (route) => (route.request().url().startsWith('file:') ? route.continue() : (requests.push(route.request().url()), route.abort())));
      await page.goto(`file://${file}`);
      await page.waitForLoadState('load');

      expect(consoleErrors).toEqual([]);
      expect(requests).toEqual([]);
      await expect(page.title()).resolves.toBe(`Lockstep release report — ${env}`);

      // A node for every namespace and every workload of the rendering.
      const nodes = new Set(await page.locator('[data-node]').evaluateAll((els) => els.map((e) => e.getAttribute('data-node'))));
      const objects = r.rendering.objects.map((o) => o.json);
      const namespaces = objects.filter((o) => o.kind === 'Namespace').map((o) => String(o.metadata.name));
      expect(namespaces.length).toBeGreaterThan(0);
      for (const ns of namespaces) expect(nodes, `namespace ${ns}`).toContain(`namespace ${ns}`);
      for (const o of objects.filter((x) => podTemplateOf(x))) expect(nodes).toContain(`${o.kind} ${o.metadata.namespace}/${o.metadata.name}`);
      expect(nodes).toContain('namespace kube-system');

      // The expected flows: core → memory on 5432, core → the LLM providers on 443, DNS per namespace.
      const edges = await page.locator('[data-edge]').evaluateAll((els) =>
        els.map((e) => ({ from: e.getAttribute('data-from'), to: e.getAttribute('data-to'), fromNs: e.getAttribute('data-from-namespace'), toNs: e.getAttribute('data-to-namespace'), ports: e.getAttribute('data-ports') })),
      );
      expect(edges).toContainEqual(expect.objectContaining({ fromNs: 'project-ai-core', toNs: 'project-ai-memory', ports: expect.stringContaining('5432/TCP') }));
      expect(edges).toContainEqual(expect.objectContaining({ fromNs: 'project-ai-monitoring', toNs: 'project-ai-core', ports: '9090/TCP' }));
      for (const cidr of r.env.config.egress['llmProviders'] ?? []) {
        expect(edges).toContainEqual(expect.objectContaining({ fromNs: 'project-ai-core', to: `external ${cidr}`, ports: expect.stringContaining('443/TCP') }));
      }
      expect(edges.filter((e) => e.fromNs === 'project-ai-eca' && e.toNs !== '' && e.toNs !== 'kube-system')).toEqual([]);
      const withWorkloads = new Set(objects.filter((x) => podTemplateOf(x)).map((x) => String(x.metadata.namespace)));
      const dns = page.locator('[data-edge][data-dns="true"]');
      expect(new Set(await dns.evaluateAll((els) => els.map((e) => e.getAttribute('data-from-namespace'))))).toEqual(withWorkloads);

      // DNS edges are hidden until the reader asks for them (CSS only, no script).
      await expect(dns.first().isVisible()).resolves.toBe(false);
      await page.locator('#show-dns').check();
      await expect(dns.first().isVisible()).resolves.toBe(true);

      const box = await page.locator('#network svg.graph').boundingBox();
      expect(box!.width).toBeGreaterThan(400);
      expect(box!.height).toBeGreaterThan(400);
      await expect(page.locator('[data-absent="Policy report"]').isVisible()).resolves.toBe(true);
      await expect(page.locator('[data-signature="unsigned"]').first().isVisible()).resolves.toBe(true);

      await mkdir(join(REPO, 'test-results'), { recursive: true });
      await page.screenshot({ path: join(REPO, 'test-results', `report-${env}.png`), fullPage: true });
      await page.locator('#network .graph-wrap').screenshot({ path: join(REPO, 'test-results', `report-${env}-network.png`) });
      await page.close();
    });
  }
});
