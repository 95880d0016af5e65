/**
 * `image-changed`: a container of a changed workload runs another image (new digest, tag or
 * repository), and whether the workload's SBOM annotation for it is present and changed with it.
 * Containers are matched by name. New workloads are not findings: the whole object is new.
 */
import { containersOf, podTemplateOf, type KubeJson } from '../../../k8s/objects.ts';
import type { RiskNote } from '../types.ts';

/** A lenient split of an image reference into name, tag and digest, for messages only. */
export function splitImage(ref: string): { name: string; tag?: string; digest?: string } {
  const [nameTag, digest] = ref.split('@') as [string, string | undefined];
  const slash = nameTag.lastIndexOf('/');
  const colon = nameTag.lastIndexOf(':');
  const hasTag = colon > slash;
  return { name: hasTag ? nameTag.slice(0, colon) : nameTag, ...(hasTag ? { tag: nameTag.slice(colon + 1) } : {}), ...(digest ? { digest } : {}) };
}

function shortDigest(d: string | undefined): string {
  return d ? `${d.slice(0, 19)}…` : 'none';
}

/** How `before` became `after`: the parts of the reference that changed. */
export function describeImageChange(before: string, after: string): string {
  const a = splitImage(before);
  const b = splitImage(after);
  if (a.name !== b.name) return `image ${before} → ${after} (another repository)`;
  const parts: string[] = [];
  if (a.tag !== b.tag) parts.push(`tag ${a.tag ?? 'none'} → ${b.tag ?? 'none'}`);
  if (a.digest !== b.digest) parts.push(`${b.digest ? 'new digest' : 'digest removed'} ${shortDigest(a.digest)} → ${shortDigest(b.digest)}`);
  return `${b.name}: ${parts.join(', ')}`;
}

/** SBOM annotations of a workload: `<prefix>/sbom-sha256` (main container) and `<prefix>/sbom-sha256.<container>`. */
function sbomFor(obj: KubeJson, container: string, isMain: boolean): { key: string; value: string } | undefined {
  const tpl = podTemplateOf(obj);
  const annotations: Record<string, string> = { ...(obj.metadata?.annotations ?? {}), ...(tpl?.annotations ?? {}) };
  const keys = Object.keys(annotations).sort();
  const own = keys.find((k) => k.endsWith(`/sbom-sha256.${container}`));
  if (own) return { key: own, value: annotations[own]! };
  const main = isMain ? keys.find((k) => k.endsWith('/sbom-sha256')) : undefined;
  return main ? { key: main, value: annotations[main]! } : undefined;
}

function imagesOf(obj: KubeJson): Map<string, { image: string; pointer: string; isMain: boolean }> {
  const tpl = podTemplateOf(obj);
  const out = new Map<string, { image: string; pointer: string; isMain: boolean }>();
  if (!tpl) return out;
  const first = (tpl.spec.containers as KubeJson[] | undefined)?.[0]?.name;
  for (const { container, pointer } of containersOf(tpl.spec, tpl.pointer)) out.set(String(container.name), { image: String(container.image), pointer: `${pointer}/image`, isMain: container.name === first });
  return out;
}

/** The image classifier. */
export function classifyImages(before: KubeJson | undefined, after: KubeJson | undefined): RiskNote[] {
  if (!before || !after) return [];
  const old = imagesOf(before);
  const notes: RiskNote[] = [];
  for (const [name, now] of imagesOf(after)) {
    const was = old.get(name);
    if (was?.image === now.image) continue;
    const sbomNow = sbomFor(after, name, now.isMain);
    const sbomWas = was ? sbomFor(before, name, was.isMain) : undefined;
    const sbom = !sbomNow
      ? `no SBOM annotation${sbomWas ? ` (the base had ${sbomWas.key})` : ''}`
      : sbomWas?.value === sbomNow.value
        ? `SBOM annotation ${sbomNow.key} unchanged (it still describes the old image)`
        : `SBOM annotation ${sbomNow.key} ${sbomWas ? 'changed' : 'added'}`;
    const what = was ? describeImageChange(was.image, now.image) : `new container runs ${now.image}`;
    notes.push({ class: 'image-changed', pointer: now.pointer, message: `container ${name}: ${what}; ${sbom}` });
  }
  return notes;
}
