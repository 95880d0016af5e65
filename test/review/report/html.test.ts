import { describe, expect, it } from 'vitest';
import { renderReportHtml } from '../../../src/review/report/html.ts';
import type { ReportInputs } from '../../../src/review/report/inputs.ts';
import { parsePolicyResults } from '../../../src/review/report/policy-results.ts';
import { POLICY_REPORT, twoTier } from './fixtures.ts';

const DIGEST = 'sha256:' + 'b'.repeat(64);

function inputs(over: Partial<ReportInputs> = {}): ReportInputs {
  return {
    environment: 'dev',
    stage: 'dev',
    objects: twoTier().map((json, i) => ({ path: `manifests/${i}.yaml`, json, constructPath: `dev/obj${i}` })),
    signature: { state: 'unsigned' },
    ...over,
  };
}

describe('renderReportHtml', () => {
  it('has every section: summary, inventory, policy results, supply chain, network, RBAC', () => {
    const html = renderReportHtml(inputs());
    for (const id of ['summary', 'inventory', 'policies', 'supply-chain', 'network', 'rbac']) expect(html).toContain(`<section id="${id}">`);
    expect(html).toContain('<title>Lockstep release report — dev</title>');
    expect(html).toMatch(/<tr data-inventory-namespace="app">.*<span class="chip">Deployment 1<\/span>/);
  });

  it('escapes an object name with <script> everywhere it appears, and the page has no script at all', () => {
    const evil = '<script>alert(1)</script>';
    const objects = [
      ...inputs().objects,
      { path: 'manifests/evil.yaml', json: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: evil, namespace: 'app' } }, constructPath: `dev/${evil}` },
      { path: 'manifests/evil-d.yaml', json: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: evil, namespace: 'app' }, spec: { template: { metadata: { labels: { a: 'b' } }, spec: { containers: [] } } } } },
    ];
    const html = renderReportHtml(inputs({ objects, environment: `dev${evil}` }));
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('data-node="Deployment app/&lt;script&gt;alert(1)&lt;/script&gt;"');
  });

  it('makes no network request: a CSP that forbids fetches, and no external src, href or url()', () => {
    const html = renderReportHtml(inputs());
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:;`);
    expect(html).not.toMatch(/\ssrc=/);
    expect([...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!.charAt(0))).toEqual(Array(6).fill('#'));
    expect([...html.matchAll(/url\(([^)]*)\)/g)].every((m) => m[1]!.startsWith('#'))).toBe(true);
    expect(html).not.toMatch(/@import|@font-face/);
  });

  it('says "not produced" for each optional input that is missing, and shows the release as unsigned', () => {
    const html = renderReportHtml(inputs());
    expect(html).toContain('data-absent="Policy report"');
    expect(html).toContain('data-absent="images.json"');
    expect(html).toContain('data-absent="Release SBOM"');
    expect(html).toContain('not produced (run <code>lockstep sign</code>)');
    expect(html).toContain('data-signature="unsigned">unsigned<');
  });

  it('lists policy results per policy and every failure with its object and message', () => {
    const html = renderReportHtml(inputs({ policyResults: parsePolicyResults(POLICY_REPORT, 'r.yaml') }));
    expect(html).toMatch(/<tr data-policy="require-limits"><td><code>require-limits<\/code><\/td><td class="n">1<\/td><td class="n fail">1<\/td><td class="n">0<\/td><td class="n">0<\/td><td class="n skip">1<\/td><\/tr>/);
    expect(html).toMatch(/<tr class="r-fail" data-finding="fail">.*require-limits.*Deployment app\/api.*dev\/app\/api\/Deployment.*memory limit is required/);
    expect(html).toContain('1 fail');
  });

  it('shows images with digest, SBOM format and package count, and the release SBOM', () => {
    const html = renderReportHtml(
      inputs({
        images: [
          { image: `ghcr.io/acme/api@${DIGEST}`, sbom: { sha256: 'c'.repeat(64), format: 'spdx-json', specVersion: '2.3', packageCount: 42, path: 'sboms/x' }, workloads: ['Deployment app/api'] },
          { image: `ghcr.io/acme/db@${DIGEST}`, workloads: ['Deployment data/db'] },
        ],
        releaseSbom: { format: 'CycloneDX', specVersion: '1.6', components: 2 },
      }),
    );
    expect(html).toMatch(/<tr data-image="ghcr.io\/acme\/api@sha256:b{64}"><td><code>ghcr.io\/acme\/api<\/code><\/td><td><code title="sha256:b{64}">sha256:bbbbbbbbbbbb…<\/code><\/td><td>spdx-json 2.3<\/td><td class="n">42<\/td>/);
    expect(html).toMatch(/data-image="ghcr.io\/acme\/db@[^"]*">.*no SBOM/);
    expect(html).toContain('CycloneDX 1.6, 2 components');
  });

  it('shows each signature state in words', () => {
    expect(renderReportHtml(inputs({ signature: { state: 'signed-unverified' } }))).toContain('signed (not verified here)');
    expect(renderReportHtml(inputs({ signature: { state: 'verified', signer: 'keys/release.pub' } }))).toContain('signed, verified with keys/release.pub');
    const failed = renderReportHtml(inputs({ signature: { state: 'verification-failed', problems: ['dist/dev/manifests/x.yaml: sha256 changed <b>'] } }));
    expect(failed).toContain('signed, does NOT verify');
    expect(failed).toContain('<li>dist/dev/manifests/x.yaml: sha256 changed &lt;b&gt;</li>');
  });

  it('shows the release id and manifest digest when there is a release', () => {
    const html = renderReportHtml(inputs({ release: { id: 'dev-0123456789ab', manifestsDigest: 'sha256:' + 'd'.repeat(64), sourceCommit: 'e'.repeat(40), compilerVersion: '0.1.0' } }));
    expect(html).toContain('data-release-id="dev-0123456789ab"');
    expect(html).toContain(`sha256:${'d'.repeat(64)}`);
  });

  it('draws the network graph and lists every flow, DNS included', () => {
    const html = renderReportHtml(inputs());
    expect(html).toContain('<svg class="graph"');
    expect([...html.matchAll(/<tr class="f-(app|dns)" data-flow="([^"]*)"/g)].map((m) => m[2])).toEqual([
      'Deployment app/api -&gt; Deployment data/db',
      'Deployment app/api -&gt; external 203.0.113.0/24',
      'Deployment app/api -&gt; outside kube-system/k8s-app=kube-dns',
      'Deployment data/db -&gt; outside kube-system/k8s-app=kube-dns',
    ]);
  });

  it('shows the RBAC matrix with a column per verb', () => {
    const objects = [
      { path: 'r.yaml', json: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'r', namespace: 'app' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }] } },
      { path: 'b.yaml', json: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'b', namespace: 'app' }, roleRef: { kind: 'Role', name: 'r' }, subjects: [{ kind: 'ServiceAccount', name: 'api', namespace: 'app' }] } },
    ];
    const html = renderReportHtml(inputs({ objects }));
    expect(html).toContain('<th>get</th><th>list</th><th>Via</th>');
    expect(html).toContain('data-rbac-subject="ServiceAccount app/api" data-rbac-resource="pods" data-rbac-scope="app" data-verbs="get list"');
  });

  it('is deterministic, and shows a time only when one is passed in', () => {
    expect(renderReportHtml(inputs())).toBe(renderReportHtml(inputs()));
    expect(renderReportHtml(inputs())).not.toContain('Generated');
    expect(renderReportHtml(inputs({ generatedAt: '2026-11-01T00:00:00Z' }))).toContain('<th>Generated</th><td>2026-11-01T00:00:00Z</td>');
  });
});
