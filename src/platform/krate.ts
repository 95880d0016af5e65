/**
 * Krate (a5c-ai/babysitter `packages/krate`): CI runner pools in two trust tiers.
 *
 * Corrections to the seed (seed-systems.md §6.4): the trust tier is real Kubernetes isolation, not
 * a label in JavaScript — separate namespaces, restricted pods, no token and no Secrets for the
 * untrusted tier, egress only to the forge outside the cluster; the tier label is
 * `lockstep.dev/trust-tier` plus Krate's `krate.a5c.ai/trust-tier`.
 */
import { Construct } from 'constructs';
import { EnvFrom, RunnerPool, TenantNamespace } from '../../constructs/index.ts';
import type { EnvironmentContext } from './context.ts';

export function krate(scope: Construct, ctx: EnvironmentContext): { trusted: RunnerPool; untrusted: RunnerPool } {
  const root = new Construct(scope, 'krate');
  const trustedNs = new TenantNamespace(root, 'krate-runners', { layer: 'ci', tier: 'trusted', isolation: 'high', labels: { 'krate.a5c.ai/trust-tier': 'trusted' } });
  const untrustedNs = new TenantNamespace(root, 'krate-runners-untrusted', { layer: 'ci', tier: 'untrusted', isolation: 'maximum', labels: { 'krate.a5c.ai/trust-tier': 'untrusted' } });
  const forge = { cidrs: ctx.egress('forge') };
  const runnerResources = { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '2', memory: '4Gi' } };

  const trusted = new RunnerPool(trustedNs, 'trusted-linux', {
    trustTier: 'trusted',
    image: ctx.image('krate-runner'),
    resources: ctx.resources('runner-trusted-linux', runnerResources),
    warmReplicas: ctx.replicas('runner-trusted-linux', 2),
    maxReplicas: 10,
    forge,
    envFrom: [EnvFrom.secret('krate-registry-push')],
    labels: { 'krate.a5c.ai/pool': 'trusted-linux', 'krate.a5c.ai/org': 'acme', 'krate.a5c.ai/trust-tier': 'trusted' },
  });
  const untrusted = new RunnerPool(untrustedNs, 'fork-prs', {
    trustTier: 'untrusted',
    image: ctx.image('krate-runner'),
    resources: ctx.resources('runner-fork-prs', runnerResources),
    warmReplicas: ctx.replicas('runner-fork-prs', 1),
    maxReplicas: 5,
    forge,
    labels: { 'krate.a5c.ai/pool': 'fork-prs', 'krate.a5c.ai/org': 'acme', 'krate.a5c.ai/trust-tier': 'untrusted' },
  });
  return { trusted, untrusted };
}
