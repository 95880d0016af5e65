import { ApiObject, App } from 'cdk8s';
import { Platform, type PlatformProps } from '../constructs/index.ts';

/** Builds a Platform, lets `define` add constructs, and renders every object as synth does. */
export function render(define: (platform: Platform) => void, props: PlatformProps = {}): Record<string, any>[] {
  const platform = new Platform(new App(), 'test', props);
  define(platform);
  const errors = platform.node.findAll().flatMap((c) => c.node.validate().map((m) => `${c.node.path}: ${m}`));
  if (errors.length) throw new Error(errors.join('\n'));
  return platform.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject).map((o) => o.toJson());
}

/** The construct checks' messages, without throwing. */
export function checks(define: (platform: Platform) => void, props: PlatformProps = {}): string[] {
  const platform = new Platform(new App(), 'test', props);
  define(platform);
  return platform.node.findAll().flatMap((c) => c.node.validate());
}

export function find(objects: Record<string, any>[], kind: string, name?: string): Record<string, any> {
  const o = objects.find((x) => x.kind === kind && (name === undefined || x.metadata.name === name));
  if (!o) throw new Error(`no ${kind} ${name ?? ''} in ${objects.map((x) => `${x.kind}/${x.metadata.name}`).join(', ')}`);
  return o;
}

export const SMALL = { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } };
