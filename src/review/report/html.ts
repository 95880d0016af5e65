/**
 * The report page: one self-contained HTML file. Inline CSS and inline SVG only, no script, and a
 * Content-Security-Policy that forbids every fetch, so opening it offline or from an artifact store
 * makes no network request. Every value from the rendering is escaped.
 */
import { podTemplateOf } from '../../k8s/objects.ts';
import type { ReleaseImage } from '../../release/images-json.ts';
import { renderFlowGraphSvg } from './graph-svg.ts';
import type { ReportInputs, SignatureStatus } from './inputs.ts';
import { computeFlowGraph, formatPorts, type FlowGraph } from './network.ts';
import { RESULT_KINDS, type PolicyResults } from './policy-results.ts';
import { CLUSTER_SCOPE, computeRbacMatrix, type RbacMatrix } from './rbac.ts';
import { compareStrings, escapeHtml as esc } from './text.ts';

const CSS = `
:root{--fg:#1f2933;--muted:#616e7c;--line:#d9e2ec;--bg:#fff;--soft:#f5f7fa;--pass:#1e7b34;--fail:#b3261e;--warn:#a15c00;--skip:#616e7c}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:var(--fg);background:var(--bg)}
header{padding:20px 28px 12px;border-bottom:1px solid var(--line);background:var(--soft)}
h1{margin:0 0 4px;font-size:22px}
h2{margin:32px 0 10px;font-size:18px;border-bottom:1px solid var(--line);padding-bottom:4px}
h3{margin:18px 0 8px;font-size:15px}
nav{margin-top:8px}nav a{margin-right:14px;color:#1f5fa8;text-decoration:none}nav a:hover{text-decoration:underline}
main{padding:0 28px 40px}
.muted{color:var(--muted)}
code,.mono{font-family:ui-monospace,"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:12.5px}
table{border-collapse:collapse;margin:6px 0 12px}
th,td{border:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
th{background:var(--soft);font-weight:600}
td.n{text-align:right;font-variant-numeric:tabular-nums}
.cards{display:flex;flex-wrap:wrap;gap:10px;margin:14px 0}
.card{border:1px solid var(--line);border-radius:8px;padding:8px 14px;min-width:130px;background:#fff}
.card .v{font-size:20px;font-weight:600}.card .k{color:var(--muted);font-size:12px}
.chip{display:inline-block;border:1px solid var(--line);border-radius:10px;padding:0 8px;margin:1px 3px 1px 0;font-size:12px;background:var(--soft)}
.pass{color:var(--pass)}.fail,.error{color:var(--fail);font-weight:600}.warn{color:var(--warn)}.skip{color:var(--skip)}
.badge{display:inline-block;border-radius:4px;padding:1px 8px;font-weight:600;font-size:12.5px}
.badge.ok{background:#e3f4e6;color:var(--pass)}.badge.bad{background:#fdecea;color:var(--fail)}.badge.neutral{background:#eef2f6;color:var(--muted)}
.absent{color:var(--muted);font-style:italic}
.graph-wrap{overflow:auto;border:1px solid var(--line);border-radius:8px;background:#fff;max-width:100%}
.legend span{margin-right:16px;font-size:12.5px}
.legend i{display:inline-block;width:22px;height:0;border-top:2px solid;vertical-align:middle;margin-right:5px}
table.rbac td{padding:2px 6px;white-space:nowrap}
table.rbac td.v{text-align:center;min-width:34px}
table.rbac td.v.on{background:#e7f0fb;color:#1f5fa8;font-weight:600}
table.rbac tr.wild td{background:#fff4f2}
table.rbac tr.first td{border-top:2px solid #9aa5b1}
details summary{cursor:pointer}
#hide-warn:checked~table tr.r-warn{display:none}
#only-flows:checked~table tr.f-dns{display:none}
.graph .flow.dns{display:none}
#show-dns:checked~.graph-wrap .flow.dns{display:inline}
`;

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

function section(id: string, title: string, body: string): string {
  return `<section id="${id}"><h2>${esc(title)}</h2>\n${body}\n</section>`;
}

function notProduced(what: string, how: string): string {
  return `<p class="absent" data-absent="${esc(what)}">${esc(what)}: not produced. ${esc(how)}</p>`;
}

function card(value: string | number, label: string): string {
  return `<div class="card"><div class="v">${esc(value)}</div><div class="k">${esc(label)}</div></div>`;
}

function signatureBadge(s: SignatureStatus): string {
  switch (s.state) {
    case 'unsigned':
      return '<span class="badge neutral" data-signature="unsigned">unsigned</span>';
    case 'signed-unverified':
      return '<span class="badge neutral" data-signature="signed-unverified">signed (not verified here)</span>';
    case 'verified':
      return `<span class="badge ok" data-signature="verified">signed, verified with ${esc(s.signer)}</span>`;
    case 'verification-failed':
      return '<span class="badge bad" data-signature="verification-failed">signed, does NOT verify</span>';
  }
}

function namespaceOf(o: ReportInputs['objects'][number]): string {
  return (o.json.metadata?.namespace as string | undefined) ?? CLUSTER_SCOPE;
}

function summarySection(r: ReportInputs, graph: FlowGraph): string {
  const namespaces = r.objects.filter((o) => o.json.kind === 'Namespace').length;
  const workloads = r.objects.filter((o) => podTemplateOf(o.json)).length;
  const p = r.policyResults;
  const cards = [
    card(r.objects.length, 'objects'),
    card(namespaces, 'namespaces'),
    card(workloads, 'workloads'),
    card(r.images ? r.images.length : '—', 'images'),
    card(graph.flows.length, 'network flows'),
    card(p ? `${p.totals.pass} / ${p.totals.fail}` : '—', 'policy pass / fail'),
  ].join('');
  const rows: [string, string][] = [
    ['Environment', `<code>${esc(r.environment)}</code>`],
    ['Stage', r.stage ? `<code>${esc(r.stage)}</code>` : '<span class="absent">unknown</span>'],
    ['Release', r.release ? `<code data-release-id="${esc(r.release.id)}">${esc(r.release.id)}</code>` : '<span class="absent">not produced (run <code>lockstep sign</code>)</span>'],
    ...(r.release
      ? ([
          ['Manifest set', `<code>${esc(r.release.manifestsDigest)}</code>`],
          ['Source commit', `<code>${esc(r.release.sourceCommit)}</code> (compiler ${esc(r.release.compilerVersion)})`],
        ] as [string, string][])
      : []),
    ['Signature', signatureBadge(r.signature)],
    ...(r.lock
      ? ([
          [
            'Lock',
            `<code>${esc(r.lock.releaseId)}</code> approved by ${esc(r.lock.approvers.join(', '))}${r.lock.rollbackOf ? ` (rollback of <code>${esc(r.lock.rollbackOf)}</code>)` : ''}` +
              (r.lock.breakGlass ? ` <strong class="fail" data-break-glass="true">BREAK-GLASS: ${esc(r.lock.breakGlass)}</strong>` : ''),
          ],
        ] as [string, string][])
      : []),
    ['Policy report', p ? RESULT_KINDS.map((k) => `<span class="${k}">${p.totals[k]} ${k}</span>`).join(' · ') : '<span class="absent">not produced</span>'],
    ...(r.generatedAt !== undefined ? ([['Generated', esc(r.generatedAt)]] as [string, string][]) : []),
  ];
  return section('summary', 'Summary', `<div class="cards">${cards}</div>\n<table class="facts">${rows.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${v}</td></tr>`).join('')}</table>`);
}

function inventorySection(r: ReportInputs): string {
  const byNs = new Map<string, ReportInputs['objects'][number][]>();
  for (const o of r.objects) byNs.set(namespaceOf(o), [...(byNs.get(namespaceOf(o)) ?? []), o]);
  const kinds = new Map<string, number>();
  for (const o of r.objects) kinds.set(o.json.kind, (kinds.get(o.json.kind) ?? 0) + 1);
  const kindChips = [...kinds.entries()].sort(([a], [b]) => compareStrings(a, b)).map(([k, n]) => `<span class="chip">${esc(k)} ${n}</span>`).join('');
  const rows = [...byNs.entries()]
    .sort(([a], [b]) => compareStrings(a, b))
    .map(([ns, objs]) => {
      const counts = new Map<string, number>();
      for (const o of objs) counts.set(o.json.kind, (counts.get(o.json.kind) ?? 0) + 1);
      const chips = [...counts.entries()].sort(([a], [b]) => compareStrings(a, b)).map(([k, n]) => `<span class="chip">${esc(k)} ${n}</span>`).join('');
      const list = [...objs]
        .sort((a, b) => compareStrings(a.json.kind, b.json.kind) || compareStrings(String(a.json.metadata?.name), String(b.json.metadata?.name)))
        .map((o) => `<tr><td>${esc(o.json.kind)}</td><td><code>${esc(o.json.metadata?.name)}</code></td><td class="mono muted">${esc(o.constructPath ?? '')}</td></tr>`)
        .join('');
      return `<tr data-inventory-namespace="${esc(ns)}"><td><code>${esc(ns)}</code></td><td class="n">${objs.length}</td><td>${chips}<details><summary class="muted">objects</summary><table><tr><th>Kind</th><th>Name</th><th>Construct path</th></tr>${list}</table></details></td></tr>`;
    })
    .join('\n');
  return section('inventory', 'Inventory', `<p>By kind: ${kindChips}</p>\n<table><tr><th>Namespace</th><th>Objects</th><th>Kinds</th></tr>\n${rows}</table>`);
}

function policySection(r: ReportInputs): string {
  const p: PolicyResults | undefined = r.policyResults;
  if (!p) return section('policies', 'Policy results', notProduced('Policy report', `Run \`lockstep check --env ${r.environment}\` to write dist/${r.environment}/reports/policy-report.yaml.`));
  const head = `<tr><th>Policy</th>${RESULT_KINDS.map((k) => `<th class="${k}">${k}</th>`).join('')}</tr>`;
  const rows = p.policies
    .map((t) => `<tr data-policy="${esc(t.policy)}"><td><code>${esc(t.policy)}</code></td>${RESULT_KINDS.map((k) => `<td class="n${t.counts[k] > 0 && k !== 'pass' ? ` ${k}` : ''}">${t.counts[k]}</td>`).join('')}</tr>`)
    .join('\n');
  const findings = p.findings.length
    ? `<h3>Failures and warnings (${p.findings.length})</h3>\n<input type="checkbox" id="hide-warn"><label for="hide-warn"> hide warnings</label>\n<table class="findings"><tr><th>Result</th><th>Policy / rule</th><th>Object</th><th>Message</th></tr>\n${p.findings
        .map(
          (f) =>
            `<tr class="r-${f.result}" data-finding="${esc(f.result)}"><td class="${f.result}">${esc(f.result)}</td><td><code>${esc(f.policy)}</code><br><span class="muted">${esc(f.rule)}</span></td><td>${f.resources.map((x) => `<code>${esc(x)}</code>`).join('<br>')}${f.constructPath ? `<br><span class="mono muted">${esc(f.constructPath)}</span>` : ''}</td><td>${esc(f.message)}</td></tr>`,
        )
        .join('\n')}</table>`
    : '<p class="pass">No failures or warnings.</p>';
  return section('policies', 'Policy results', `<table class="policies">${head}\n${rows}</table>\n${findings}`);
}

function digestOf(image: string): { repo: string; digest: string } {
  const at = image.indexOf('@');
  return at < 0 ? { repo: image, digest: '' } : { repo: image.slice(0, at), digest: image.slice(at + 1) };
}

function imagesTable(images: readonly ReleaseImage[]): string {
  if (images.length === 0) return '<p class="muted">The rendering runs no images.</p>';
  const rows = images
    .map((i) => {
      const { repo, digest } = digestOf(i.image);
      const short = digest.length > 19 ? `${digest.slice(0, 19)}…` : digest;
      const sbom = i.sbom
        ? `<td>${esc(i.sbom.format)}${i.sbom.specVersion ? ` ${esc(i.sbom.specVersion)}` : ''}</td><td class="n">${i.sbom.packageCount}</td>`
        : '<td class="absent">no SBOM</td><td class="n">—</td>';
      return `<tr data-image="${esc(i.image)}"><td><code>${esc(repo)}</code></td><td><code title="${esc(digest)}">${esc(short)}</code></td>${sbom}<td>${i.workloads.map((w) => `<code>${esc(w)}</code>`).join('<br>')}</td></tr>`;
    })
    .join('\n');
  return `<table class="images"><tr><th>Image</th><th>Digest</th><th>SBOM</th><th>Packages</th><th>Workloads</th></tr>\n${rows}</table>`;
}

function supplyChainSection(r: ReportInputs): string {
  const parts: string[] = [];
  parts.push('<h3>Images</h3>', r.images ? imagesTable(r.images) : notProduced('images.json', `Run \`lockstep synth --env ${r.environment}\`.`));
  parts.push('<h3>Release SBOM</h3>');
  parts.push(
    r.releaseSbom
      ? `<p><code>sbom.cdx.json</code>: ${esc(r.releaseSbom.format)}${r.releaseSbom.specVersion ? ` ${esc(r.releaseSbom.specVersion)}` : ''}, ${r.releaseSbom.components} component${r.releaseSbom.components === 1 ? '' : 's'}</p>`
      : notProduced('Release SBOM', `Run \`lockstep synth --env ${r.environment}\`.`),
  );
  parts.push('<h3>Signature</h3>', `<p>${signatureBadge(r.signature)}</p>`);
  if (r.signature.state === 'verification-failed') parts.push(`<ul class="fail">${r.signature.problems.map((p) => `<li>${esc(p)}</li>`).join('')}</ul>`);
  if (r.signature.state === 'unsigned') parts.push(`<p class="muted">Run <code>lockstep sign --env ${esc(r.environment)}</code> to sign the release; <code>lockstep verify</code> checks it.</p>`);
  return section('supply-chain', 'Supply chain', parts.join('\n'));
}

function networkSection(graph: FlowGraph): string {
  const legend =
    '<p class="legend"><span><i style="border-color:#1f5fa8"></i>allowed by egress and ingress</span><span><i style="border-color:#b3261e"></i>egress to outside the rendering</span><span><i style="border-color:#7b3fa0"></i>ingress from outside</span><span><i style="border-color:#8a8a8a;border-top-style:dashed"></i>DNS to kube-system (one per namespace; namespaces tagged DNS)</span></p>';
  const rows = graph.flows
    .map(
      (f) =>
        `<tr class="${f.dns ? 'f-dns' : 'f-app'}" data-flow="${esc(`${f.from} -> ${f.to}`)}"><td><code>${esc(f.from)}</code></td><td><code>${esc(f.to)}</code></td><td>${esc(formatPorts(f.ports))}${f.dns ? ' <span class="chip">DNS</span>' : ''}</td><td>${esc(f.basis)}</td><td class="muted">${f.policies.length ? f.policies.map((p) => esc(p)).join('<br>') : 'not isolated'}</td></tr>`,
    )
    .join('\n');
  const body =
    `<p class="muted">A flow between two rendered workloads is drawn when the source's egress rules <em>and</em> the destination's ingress rules allow it, on the ports both allow. Peers outside the rendering (address blocks, kube-system) show the one side that is rendered.</p>\n` +
    `${legend}\n<input type="checkbox" id="show-dns"><label for="show-dns"> show DNS edges</label>\n<div class="graph-wrap">${renderFlowGraphSvg(graph)}</div>\n` +
    `<h3>Flows (${graph.flows.length})</h3>\n<input type="checkbox" id="only-flows"><label for="only-flows"> hide DNS flows</label>\n` +
    `<table class="flows"><tr><th>From</th><th>To</th><th>Ports</th><th>Basis</th><th>Allowed by</th></tr>\n${rows}</table>`;
  return section('network', 'Network flows', body);
}

function rbacSection(m: RbacMatrix): string {
  if (m.rows.length === 0 && m.unresolved.length === 0) return section('rbac', 'RBAC', '<p class="muted">No Role or ClusterRole is bound.</p>');
  let previous = '';
  const rows = m.rows
    .map((r) => {
      const first = r.subject !== previous;
      previous = r.subject;
      const cells = m.verbs.map((v) => (r.verbs.includes(v) ? `<td class="v on" title="${esc(v)}">✓</td>` : '<td class="v"></td>')).join('');
      return `<tr class="${[first ? 'first' : '', r.wildcard ? 'wild' : ''].filter(Boolean).join(' ')}" data-rbac-subject="${esc(r.subject)}" data-rbac-resource="${esc(r.resource)}" data-rbac-scope="${esc(r.scope)}" data-verbs="${esc(r.verbs.join(' '))}"><td>${first ? `<code>${esc(r.subject)}</code>` : ''}</td><td><code>${esc(r.scope)}</code></td><td><code>${esc(r.resource)}</code></td>${cells}<td class="muted" title="${esc(r.via.join('\n'))}">${r.via.length} binding${r.via.length === 1 ? '' : 's'}</td></tr>`;
    })
    .join('\n');
  const table = `<table class="rbac"><tr><th>Subject</th><th>Where</th><th>Resource</th>${m.verbs.map((v) => `<th>${esc(v)}</th>`).join('')}<th>Via</th></tr>\n${rows}</table>`;
  const unresolved = m.unresolved.length
    ? `<h3>Bindings to roles not in the rendering (${m.unresolved.length})</h3><ul>${m.unresolved.map((u) => `<li><code>${esc(u.binding)}</code> → <code>${esc(u.roleRef)}</code> for ${u.subjects.map((s) => `<code>${esc(s)}</code>`).join(', ')}</li>`).join('')}</ul>`
    : '';
  return section('rbac', 'RBAC', `<p class="muted">Subjects × resources × verbs, from every RoleBinding and ClusterRoleBinding. Rows with a wildcard are tinted.</p>\n${table}\n${unresolved}`);
}

/** The report page for one environment's inputs. Pure: the same inputs give the same bytes. */
export function renderReportHtml(r: ReportInputs): string {
  const objects = r.objects.map((o) => o.json);
  const graph = computeFlowGraph(objects);
  const rbac = computeRbacMatrix(objects);
  const title = `Lockstep release report — ${r.environment}`;
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(title)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    `<header><h1>${esc(title)}</h1><div class="muted">stage ${esc(r.stage ?? 'unknown')}${r.release ? ` · release <code>${esc(r.release.id)}</code>` : ''}</div>`,
    '<nav><a href="#summary">Summary</a><a href="#inventory">Inventory</a><a href="#policies">Policy results</a><a href="#supply-chain">Supply chain</a><a href="#network">Network</a><a href="#rbac">RBAC</a></nav></header>',
    '<main>',
    summarySection(r, graph),
    inventorySection(r),
    policySection(r),
    supplyChainSection(r),
    networkSection(graph),
    rbacSection(rbac),
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
