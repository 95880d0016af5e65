import { describe, expect, it } from 'vitest';
import { renderFlowGraphSvg } from '../../../src/review/report/graph-svg.ts';
import { computeFlowGraph } from '../../../src/review/report/network.ts';
import { deployment, namespace, twoTier } from './fixtures.ts';

/** Attribute values, unescaped as a browser reads them. */
const attrs = (svg: string, name: string) =>
  [...svg.matchAll(new RegExp(` ${name}="([^"]*)"`, 'g'))].map((m) => m[1]!.replace(/&gt;/g, '>').replace(/&lt;/g, '<').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&'));

describe('renderFlowGraphSvg', () => {
  it('has a node for every namespace, workload, outside namespace and address block', () => {
    const svg = renderFlowGraphSvg(computeFlowGraph([...twoTier(), namespace('empty')]));
    expect(attrs(svg, 'data-node').sort()).toEqual([
      'Deployment app/api',
      'Deployment data/db',
      'external 203.0.113.0/24',
      'namespace app',
      'namespace data',
      'namespace empty',
      'namespace kube-system',
      'outside kube-system/k8s-app=kube-dns',
    ]);
    expect(svg).toContain('no workloads');
  });

  it('draws one edge per flow, and DNS once per namespace from the namespace box', () => {
    const svg = renderFlowGraphSvg(computeFlowGraph(twoTier()));
    expect(attrs(svg, 'data-edge')).toEqual([
      'Deployment app/api -> Deployment data/db',
      'Deployment app/api -> external 203.0.113.0/24',
      'namespace app -> outside kube-system/k8s-app=kube-dns',
      'namespace data -> outside kube-system/k8s-app=kube-dns',
    ]);
    expect(svg).toMatch(/data-edge="Deployment app\/api -&gt; Deployment data\/db"[^>]* data-from-namespace="app" data-to-namespace="data" data-ports="5432\/TCP"/);
    expect(attrs(svg, 'data-dns')).toEqual(['true', 'true', 'true', 'true']);
  });

  it('gives the same bytes for the same objects in any order', () => {
    const objects = [...twoTier(), namespace('more'), deployment('more', 'x')];
    expect(renderFlowGraphSvg(computeFlowGraph([...objects].reverse()))).toBe(renderFlowGraphSvg(computeFlowGraph(objects)));
  });

  it('escapes names it draws', () => {
    const svg = renderFlowGraphSvg(computeFlowGraph([namespace('a'), deployment('a', '<b>&"x"')]));
    expect(svg).toContain('data-node="Deployment a/&lt;b&gt;&amp;&quot;x&quot;"');
    expect(svg).not.toContain('<b>');
  });

  it('draws an empty rendering as an empty picture', () => {
    const svg = renderFlowGraphSvg(computeFlowGraph([]));
    expect(svg).toMatch(/^<svg [^>]*viewBox="0 0 \d+(\.\d)? \d+(\.\d)?"/);
    expect(attrs(svg, 'data-node')).toEqual([]);
  });
});
