/**
 * The release SBOM: one CycloneDX document per environment release that lists every image the
 * release runs, each pointing at its own SBOM by store path and sha256.
 *
 * Built with @cyclonedx/cyclonedx-library's models and JSON serializer: with `sortLists: true` its
 * output depends only on the model (fixed key order, sorted components, hashes, references and
 * properties), so equal inputs give equal bytes. What the library would otherwise make
 * non-deterministic is set here: the serial number is a UUID derived from a hash of the inputs, and
 * there is no timestamp unless the caller passes one.
 *
 * Each image is a `container` component named `registry/repository`, versioned by digest, with a
 * `pkg:oci` purl as the purl spec defines it (name = last path segment, lowercased; version = the
 * digest with ":" percent-encoded; `repository_url` qualifier = registry/repository; `tag` when known),
 * the image digest as its hash, its SBOM as a `bom` external reference with the SBOM's sha256, and
 * the workloads that run it as `lockstep:workload` properties.
 */
import { createHash } from 'node:crypto';
import { Enums, Models, Serialize, Spec } from '@cyclonedx/cyclonedx-library';
import { LockstepError } from '../../util/errors.ts';
import { imageName, parseImageRef } from '../images/reference.ts';
import type { ImageRef } from '../images/reference.ts';
import type { SbomFormat } from './read.ts';
import { SBOM_STORE_DIR, sbomStorePath } from './store.ts';

export type ReleaseSbomSpecVersion = '1.5' | '1.6';

export interface ReleaseSbomImage {
  /** Pinned reference, `registry/repository@sha256:…` (a tag before the digest is kept in the purl). */
  readonly ref: string;
  readonly sbom: {
    readonly sha256: string;
    readonly format: SbomFormat;
    readonly packageCount: number;
    /** Spec version of the image SBOM, written as `spdx-json@2.3` when given. */
    readonly specVersion?: string;
  };
  /** Workloads running the image, e.g. `payments/api` (namespace/name). */
  readonly workloads: readonly string[];
}

export interface ReleaseSbomInput {
  readonly environment: string;
  readonly images: readonly ReleaseSbomImage[];
  /** Version of the release (the metadata component's version), e.g. a git describe or semver. */
  readonly componentVersion: string;
  /** Mixed into the serial number, e.g. the release commit, so two releases never share one. */
  readonly serialNumberSeed: string;
  /** @default '1.6' */
  readonly specVersion?: ReleaseSbomSpecVersion;
  /** Written as metadata.timestamp only when given (library code never reads the clock). */
  readonly timestamp?: Date;
}

const PROPERTY_PREFIX = 'lockstep';

/** `pkg:oci/<name>@<digest>?repository_url=<registry/repository>[&tag=<tag>]`. */
export function ociPurl(ref: ImageRef): string {
  if (ref.digest === undefined) {
    throw new LockstepError({ message: `a pkg:oci purl needs a digest, got ${imageName(ref)}`, fix: 'pin the image first', code: 'release-sbom/not-pinned' });
  }
  const name = ref.repository.split('/').pop()!.toLowerCase();
  const qualifiers: [string, string][] = [['repository_url', imageName(ref)]];
  if (ref.tag !== undefined) qualifiers.push(['tag', ref.tag]);
  qualifiers.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `pkg:oci/${encodePurlPart(name)}@${encodePurlPart(ref.digest)}?${qualifiers.map(([k, v]) => `${k}=${encodeQualifierValue(v)}`).join('&')}`;
}

// The purl spec percent-encodes ":" in the version (`sha256%3A…`) but leaves "/" readable in
// qualifier values (`repository_url=docker.io/library/debian`).
function encodePurlPart(s: string): string {
  return encodeURIComponent(s);
}

function encodeQualifierValue(s: string): string {
  return encodeURIComponent(s).replace(/%2F/g, '/').replace(/%3A/g, ':');
}

/** A UUID (RFC 9562 version 8, "custom") from sha256 of `text`, in the form CycloneDX accepts. */
export function deterministicUuid(text: string): string {
  const b = createHash('sha256').update(text).digest().subarray(0, 16);
  b[6] = (b[6]! & 0x0f) | 0x80;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

interface NormalisedImage {
  readonly ref: ImageRef;
  readonly sbom: ReleaseSbomImage['sbom'];
  readonly workloads: readonly string[];
}

function normaliseImages(images: readonly ReleaseSbomImage[]): NormalisedImage[] {
  const byDigestRef = new Map<string, NormalisedImage>();
  images.forEach((image, i) => {
    const pointer = `/images/${i}`;
    const ref = parseImageRef(image.ref, { allowLatest: true, pointer: `${pointer}/ref` });
    if (ref.digest === undefined) {
      throw new LockstepError({ pointer: `${pointer}/ref`, message: `image ${JSON.stringify(image.ref)} is not pinned by digest`, fix: 'pass "registry/repository@sha256:…"', code: 'release-sbom/not-pinned' });
    }
    if (!/^[0-9a-f]{64}$/.test(image.sbom.sha256)) {
      throw new LockstepError({ pointer: `${pointer}/sbom/sha256`, message: `SBOM sha256 must be 64 lowercase hex characters, got ${JSON.stringify(image.sbom.sha256)}`, fix: 'pass the sha256 that readSbom returns', code: 'release-sbom/sbom-sha256' });
    }
    const key = `${imageName(ref)}@${ref.digest}`;
    const previous = byDigestRef.get(key);
    if (previous) {
      if (previous.sbom.sha256 !== image.sbom.sha256) {
        throw new LockstepError({ pointer: `${pointer}/sbom/sha256`, message: `image ${key} is listed twice with different SBOMs (${previous.sbom.sha256} and ${image.sbom.sha256})`, fix: 'use one SBOM per image digest', code: 'release-sbom/conflicting-sbom' });
      }
      byDigestRef.set(key, { ...previous, workloads: [...previous.workloads, ...image.workloads] });
    } else {
      byDigestRef.set(key, { ref, sbom: image.sbom, workloads: image.workloads });
    }
  });
  return [...byDigestRef.values()].map((img) => ({ ...img, workloads: [...new Set(img.workloads)].sort() }));
}

/** Builds the release SBOM and returns its JSON text (2-space indented, trailing newline). */
export function releaseSbom(input: ReleaseSbomInput): string {
  const specVersion = input.specVersion ?? '1.6';
  const spec = specVersion === '1.5' ? Spec.Spec1dot5 : Spec.Spec1dot6;
  if (input.environment.length === 0) {
    throw new LockstepError({ pointer: '/environment', message: 'environment is empty', fix: 'pass the environment name, e.g. "production"', code: 'release-sbom/environment' });
  }
  const images = normaliseImages(input.images);

  const seed = JSON.stringify({
    seed: input.serialNumberSeed,
    environment: input.environment,
    componentVersion: input.componentVersion,
    specVersion,
    timestamp: input.timestamp?.toISOString() ?? null,
    images: images
      .map((img) => ({ ref: ociPurl(img.ref), sbom: [img.sbom.sha256, img.sbom.format, img.sbom.specVersion ?? '', img.sbom.packageCount], workloads: img.workloads }))
      .sort((a, b) => (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0)),
  });

  const bom = new Models.Bom();
  bom.version = 1;
  bom.serialNumber = `urn:uuid:${deterministicUuid(seed)}`;
  if (input.timestamp !== undefined) bom.metadata.timestamp = input.timestamp;
  const release = new Models.Component(Enums.ComponentType.Application, input.environment, {
    version: input.componentVersion,
    bomRef: `lockstep-release:${input.environment}`,
    description: `Lockstep release of environment "${input.environment}"`,
  });
  release.properties.add(new Models.Property(`${PROPERTY_PREFIX}:environment`, input.environment));
  bom.metadata.component = release;

  for (const img of images) {
    const purl = ociPurl(img.ref);
    const component = new Models.Component(Enums.ComponentType.Container, imageName(img.ref), {
      version: img.ref.digest!,
      bomRef: purl,
      purl,
    });
    const [algorithm, hex] = img.ref.digest!.split(':') as [string, string];
    if (algorithm === 'sha256') component.hashes.set(Enums.HashAlgorithm['SHA-256'], hex);
    const sbomFormat = img.sbom.specVersion !== undefined ? `${img.sbom.format}@${img.sbom.specVersion}` : img.sbom.format;
    component.externalReferences.add(
      new Models.ExternalReference(`${SBOM_STORE_DIR}/${sbomStorePath(img.ref, img.sbom.format)}`, Enums.ExternalReferenceType.BOM, {
        hashes: new Models.HashDictionary([[Enums.HashAlgorithm['SHA-256'], img.sbom.sha256]]),
        comment: `${sbomFormat}, ${img.sbom.packageCount} packages`,
      }),
    );
    component.properties.add(new Models.Property(`${PROPERTY_PREFIX}:sbom:format`, sbomFormat));
    component.properties.add(new Models.Property(`${PROPERTY_PREFIX}:sbom:packages`, String(img.sbom.packageCount)));
    component.properties.add(new Models.Property(`${PROPERTY_PREFIX}:sbom:sha256`, img.sbom.sha256));
    for (const w of img.workloads) component.properties.add(new Models.Property(`${PROPERTY_PREFIX}:workload`, w));
    bom.components.add(component);
    release.dependencies.add(component.bomRef);
  }

  const serializer = new Serialize.JsonSerializer(new Serialize.JSON.Normalize.Factory(spec));
  return serializer.serialize(bom, { sortLists: true, space: 2 }) + '\n';
}
