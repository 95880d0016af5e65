import { App } from 'cdk8s';
import { NetworkPort, Platform } from '../../constructs/index.ts';
import type { SynthInputs } from '../synth/inputs.ts';
import { annotateSboms } from '../synth/sbom-annotations.ts';
import { applySyncWaves } from '../synth/sync-waves.ts';
import { imageVerification, publicKeysFromRoot } from './image-verification.ts';
import { EnvironmentContext } from './context.ts';
import { gastown } from './gastown.ts';
import { kgents } from './kgents.ts';
import { krate } from './krate.ts';
import { platformPolicies } from './policies.ts';
import { tk8s } from './tk8s.ts';

export interface BuiltPlatform {
  readonly app: App;
  readonly platform: Platform;
  readonly context: EnvironmentContext;
}

/**
 * Builds the example platform for one environment: a fresh App with one Platform chart.
 * Each environment gets its own construct tree (never all environments in one App).
 */
export function buildExamplePlatform(inputs: SynthInputs, options: { outdir?: string } = {}): BuiltPlatform {
  const env = inputs.env;
  const app = new App({ outdir: options.outdir ?? 'cdk8s.out', outputFileExtension: '.yaml' });
  const ctx = new EnvironmentContext(env.config, env.file, env.images);
  inputs.units?.trackSettings(ctx);
  const platform = new Platform(app, env.config.name, {
    ...(inputs.units ? { units: inputs.units } : {}),
    ...(env.config.network.clusterNetworks ? { clusterNetworks: env.config.network.clusterNetworks } : {}),
    ...(env.config.network.externalNamespaces ? { externalNamespaces: env.config.network.externalNamespaces } : {}),
  });
  const t = tk8s(platform, ctx);
  const g = gastown(platform, ctx);
  kgents(platform, ctx);
  krate(platform, ctx);
  // Monitoring scrapes the operator's metrics (both sides of the flow).
  t.monitor.connections.allowTo(g.operator.controller, [NetworkPort.tcp(8443)]);
  platformPolicies(platform, ctx, { ecaNamespace: t.eca.namespace, auditedNamespaces: Object.values(t.namespaces).map((n) => n.name), auditLabelDomain: 'audit.project-ai.io' });
  imageVerification(platform, ctx, { readPublicKey: publicKeysFromRoot(inputs.root) });
  annotateSboms(platform, {
    sboms: inputs.sboms,
    prefix: env.config.supplyChain.sbomAnnotationPrefix,
    required: env.config.supplyChain.requireSbom,
    environment: env.config.name,
  });
  applySyncWaves(platform);
  return { app, platform, context: ctx };
}
