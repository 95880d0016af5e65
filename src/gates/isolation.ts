import { cidrOverlaps } from '../../constructs/network/cidr.ts';
import { podTemplateOf } from '../k8s/objects.ts';
import type { Problem } from '../util/errors.ts';
import type { RenderedObject } from '../synth/render.ts';

/**
 * Namespaces labelled `lockstep.dev/isolation: maximum` (the external-cognition service, untrusted
 * runners) promise: no service-account token, no host network, and egress only to DNS and to
 * addresses outside the cluster.
 */
export function checkMaximumIsolation(objects: readonly RenderedObject[], clusterNetworks: readonly string[]): Problem[] {
  const maximum = new Set(objects.filter((o) => o.json.kind === 'Namespace' && o.json.metadata.labels?.['lockstep.dev/isolation'] === 'maximum').map((o) => o.json.metadata.name as string));
  const problems: Problem[] = [];
  for (const o of objects) {
    const ns = o.json.metadata?.namespace;
    if (!maximum.has(ns)) continue;
    const where = { constructPath: o.constructPath, file: o.path, code: 'isolation/maximum' };
    const t = podTemplateOf(o.json);
    if (t) {
      if (t.spec.automountServiceAccountToken !== false) problems.push({ ...where, pointer: `${t.pointer}/automountServiceAccountToken`, message: `pods in maximum-isolation namespace ${ns} must not mount a service-account token`, fix: 'set automountServiceAccountToken: false (drop serviceAccountToken from the workload)' });
      if (t.spec.hostNetwork === true) problems.push({ ...where, pointer: `${t.pointer}/hostNetwork`, message: `pods in maximum-isolation namespace ${ns} must not use the host network`, fix: 'remove hostNetwork' });
    }
    if (o.json.kind === 'NetworkPolicy') {
      (o.json.spec?.egress ?? []).forEach((rule: Record<string, any>, i: number) => {
        (rule.to ?? []).forEach((peer: Record<string, any>, j: number) => {
          const pointer = `/spec/egress/${i}/to/${j}`;
          const isDns = peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] === 'kube-system' && peer.podSelector?.matchLabels?.['k8s-app'] === 'kube-dns';
          if (isDns) return;
          if (!peer.ipBlock) {
            problems.push({ ...where, pointer, message: `egress from maximum-isolation namespace ${ns} to in-cluster peer ${JSON.stringify(peer)}`, fix: 'allow only DNS and external addresses (connections.allowExternal)' });
            return;
          }
          const excepted: string[] = peer.ipBlock.except ?? [];
          const leak = clusterNetworks.find((net) => cidrOverlaps(peer.ipBlock.cidr, net) && !excepted.some((e) => e === net));
          if (leak) problems.push({ ...where, pointer, message: `egress from maximum-isolation namespace ${ns} to ${peer.ipBlock.cidr} reaches the cluster network ${leak}`, fix: 'use connections.allowExternal, which excludes the cluster networks' });
        });
      });
    }
  }
  return problems;
}
