/**
 * Reading an SBOM file: which format and spec version it is, how many packages it lists, the sha256
 * of its bytes, and the image it describes when it names one.
 *
 * Package count follows syft, so the number matches what `syft` printed when it made the file and
 * agrees across formats for the same scan (checked against syft's own SPDX, CycloneDX and syft-json
 * snapshots, which all describe the same 2 packages):
 * - SPDX: `packages`, minus the document's root package when exactly one package is DESCRIBED by
 *   the document (or `documentDescribes`) and its purpose is CONTAINER or FILE (syft adds that root
 *   for the scanned image; syft's decoder removes it the same way), minus packages that are the
 *   subject of GENERATES/DESCRIBES or the object of GENERATED_FROM/DESCRIBED_BY (syft's
 *   `packageIDsToSkip`); duplicate SPDXIDs count once.
 * - CycloneDX: `components`, recursively through nested `components`, of the package types
 *   (library, application, framework, machine-learning-model). `operating-system` components are
 *   not counted: syft writes the detected distro there, not a catalogued package (its syft-json
 *   output has it under `distro`, not `artifacts`). `container`/`file` components describe the
 *   scan source. `metadata.component` is the subject, not a package.
 *
 * Parsing is by hand on purpose: @cyclonedx/cyclonedx-library has no JSON deserialiser, and no
 * installed package reads SPDX. Validation against the schemas is `validate.ts`.
 */
import { createHash } from 'node:crypto';
import { LockstepError } from '../../util/errors.ts';

export type SbomFormat = 'spdx-json' | 'cyclonedx-json';

/** Spec versions Lockstep reads: those syft writes and the CycloneDX library has schemas for. */
export const SUPPORTED_SPEC_VERSIONS: Readonly<Record<SbomFormat, readonly string[]>> = {
  'spdx-json': ['2.2', '2.3'],
  'cyclonedx-json': ['1.2', '1.3', '1.4', '1.5', '1.6', '1.7'],
};

export interface SbomSubject {
  /** Image name as the SBOM gives it (syft writes the user's input, e.g. `docker.io/library/mongo`). */
  readonly name: string;
  /** Manifest digest of the scanned image, when the SBOM records it. */
  readonly digest?: string;
  /** Tag or other version text when the SBOM records one that is not the digest. */
  readonly version?: string;
}

export interface SbomInfo {
  readonly format: SbomFormat;
  /** `2.3` for SPDX-2.3, `1.6` for CycloneDX 1.6. */
  readonly specVersion: string;
  readonly packageCount: number;
  /** Lowercase hex sha256 of the exact file bytes. */
  readonly sha256: string;
  readonly subject?: SbomSubject;
  /** The generating tool, e.g. `syft-0.90.0`, when the SBOM names one. */
  readonly generator?: string;
}

const DIGEST_IN_TEXT = /^(sha256|sha384|sha512):([0-9a-f]+)$/;

export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Parses SBOM bytes as JSON and tells its format; throws a LockstepError naming `file` otherwise. */
export function parseSbomJson(bytes: Uint8Array | string, file: string): { format: SbomFormat; specVersion: string; doc: Record<string, unknown> } {
  const text = typeof bytes === 'string' ? bytes : Buffer.from(bytes).toString('utf8');
  let doc: unknown;
  try {
    doc = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    throw new LockstepError({
      file,
      message: `SBOM is not valid JSON: ${(e as Error).message}`,
      fix: 'generate it with `syft scan IMAGE -o spdx-json@2.3` or `-o cyclonedx-json@1.6`',
      code: 'sbom/not-json',
    });
  }
  if (!isRecord(doc)) {
    throw unknownFormat(file, 'the top level is not a JSON object');
  }
  let format: SbomFormat;
  let specVersion: string;
  if (typeof doc['spdxVersion'] === 'string') {
    const m = /^SPDX-(\d+\.\d+)$/.exec(doc['spdxVersion']);
    if (!m) throw unsupportedVersion(file, '/spdxVersion', doc['spdxVersion'], 'spdx-json');
    format = 'spdx-json';
    specVersion = m[1]!;
  } else if (doc['bomFormat'] === 'CycloneDX') {
    if (typeof doc['specVersion'] !== 'string') throw unsupportedVersion(file, '/specVersion', doc['specVersion'], 'cyclonedx-json');
    format = 'cyclonedx-json';
    specVersion = doc['specVersion'];
  } else if ('@context' in doc || '@graph' in doc) {
    throw unknownFormat(file, 'it looks like SPDX 3 JSON-LD, which Lockstep does not read yet');
  } else if (Array.isArray(doc['artifacts']) && isRecord(doc['descriptor'])) {
    throw unknownFormat(file, "it is syft's own JSON format (syft-json)");
  } else {
    throw unknownFormat(file, 'it has neither "spdxVersion" (SPDX) nor "bomFormat": "CycloneDX"');
  }
  if (!SUPPORTED_SPEC_VERSIONS[format].includes(specVersion)) {
    throw unsupportedVersion(file, format === 'spdx-json' ? '/spdxVersion' : '/specVersion', doc[format === 'spdx-json' ? 'spdxVersion' : 'specVersion'], format);
  }
  return { format, specVersion, doc };
}

/** Reads an SBOM: format, spec version, package count (syft's rule), sha256 of the bytes, subject. */
export function readSbom(bytes: Uint8Array | string, file: string): SbomInfo {
  const { format, specVersion, doc } = parseSbomJson(bytes, file);
  const sha256 = sha256Hex(bytes);
  if (format === 'spdx-json') {
    const packages = arrayField(doc, 'packages', file);
    const relationships = arrayField(doc, 'relationships', file);
    const subject = spdxSubject(doc, packages, relationships);
    const generator = spdxGenerator(doc);
    return {
      format,
      specVersion,
      packageCount: countSpdxPackages(doc, packages, relationships),
      sha256,
      ...(subject ? { subject } : {}),
      ...(generator ? { generator } : {}),
    };
  }
  const components = arrayField(doc, 'components', file);
  const subject = cyclonedxSubject(doc);
  const generator = cyclonedxGenerator(doc);
  return {
    format,
    specVersion,
    packageCount: countCyclonedxPackages(components),
    sha256,
    ...(subject ? { subject } : {}),
    ...(generator ? { generator } : {}),
  };
}

// --- SPDX ---------------------------------------------------------------------------------------

const DOCUMENT_ID = 'SPDXRef-DOCUMENT';
const ROOT_PURPOSES = ['CONTAINER', 'FILE'];

interface Relationship {
  readonly from: string;
  readonly to: string;
  readonly type: string;
}

function relationshipsOf(doc: Record<string, unknown>, relationships: unknown[]): Relationship[] {
  const out: Relationship[] = [];
  for (const r of relationships) {
    if (!isRecord(r)) continue;
    const { spdxElementId, relatedSpdxElement, relationshipType } = r;
    if (typeof spdxElementId === 'string' && typeof relatedSpdxElement === 'string' && typeof relationshipType === 'string') {
      out.push({ from: spdxElementId, to: relatedSpdxElement, type: relationshipType });
    }
  }
  // `documentDescribes` is the older spelling of DOCUMENT DESCRIBES x (tools-golang turns it into relationships too).
  const describes = doc['documentDescribes'];
  if (Array.isArray(describes)) {
    for (const id of describes) if (typeof id === 'string') out.push({ from: DOCUMENT_ID, to: id, type: 'DESCRIBES' });
  }
  return out;
}

/** Packages the document itself describes (syft: findRootPackages; one entry per matching relationship). */
function spdxRootPackages(packages: unknown[], rels: Relationship[]): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const p of packages) {
    if (!isRecord(p)) continue;
    for (const r of rels) {
      const describes = r.from === DOCUMENT_ID && r.type === 'DESCRIBES' && r.to === p['SPDXID'];
      const describedBy = r.to === DOCUMENT_ID && r.type === 'DESCRIBED_BY' && r.from === p['SPDXID'];
      if (describes || describedBy) out.push(p);
    }
  }
  return out;
}

function spdxSourceRoot(packages: unknown[], rels: Relationship[]): Record<string, unknown> | undefined {
  const roots = spdxRootPackages(packages, rels);
  if (roots.length !== 1) return undefined;
  const root = roots[0]!;
  return ROOT_PURPOSES.includes(root['primaryPackagePurpose'] as string) ? root : undefined;
}

function countSpdxPackages(doc: Record<string, unknown>, packages: unknown[], relationships: unknown[]): number {
  const rels = relationshipsOf(doc, relationships);
  const root = spdxSourceRoot(packages, rels);
  const skip = new Set<string>();
  for (const r of rels) {
    if (r.type === 'GENERATES' || r.type === 'DESCRIBES') skip.add(r.from);
    if (r.type === 'GENERATED_FROM' || r.type === 'DESCRIBED_BY') skip.add(r.to);
  }
  const ids = new Set<string>();
  let anonymous = 0;
  for (const p of packages) {
    if (!isRecord(p) || p === root) continue;
    const id = p['SPDXID'];
    if (typeof id !== 'string') {
      anonymous++;
      continue;
    }
    if (!skip.has(id)) ids.add(id);
  }
  return ids.size + anonymous;
}

function spdxSubject(doc: Record<string, unknown>, packages: unknown[], relationships: unknown[]): SbomSubject | undefined {
  const root = spdxSourceRoot(packages, relationshipsOf(doc, relationships));
  if (!root || root['primaryPackagePurpose'] !== 'CONTAINER' || typeof root['name'] !== 'string') return undefined;
  let digest: string | undefined;
  const checksums = Array.isArray(root['checksums']) ? root['checksums'] : [];
  for (const c of checksums) {
    if (isRecord(c) && c['algorithm'] === 'SHA256' && typeof c['checksumValue'] === 'string') {
      digest = `sha256:${c['checksumValue'].toLowerCase()}`;
      break;
    }
  }
  const versionInfo = typeof root['versionInfo'] === 'string' ? root['versionInfo'] : undefined;
  if (digest === undefined && versionInfo !== undefined && DIGEST_IN_TEXT.test(versionInfo)) digest = versionInfo;
  const version = versionInfo !== undefined && versionInfo !== digest ? versionInfo : undefined;
  return { name: root['name'], ...(digest ? { digest } : {}), ...(version ? { version } : {}) };
}

function spdxGenerator(doc: Record<string, unknown>): string | undefined {
  const creators = isRecord(doc['creationInfo']) ? doc['creationInfo']['creators'] : undefined;
  if (!Array.isArray(creators)) return undefined;
  for (const c of creators) {
    if (typeof c === 'string' && c.startsWith('Tool:')) return c.slice('Tool:'.length).trim();
  }
  return undefined;
}

// --- CycloneDX ----------------------------------------------------------------------------------

const CYCLONEDX_PACKAGE_TYPES = ['library', 'application', 'framework', 'machine-learning-model'];

function countCyclonedxPackages(components: unknown[]): number {
  let n = 0;
  for (const c of components) {
    if (!isRecord(c)) continue;
    if (CYCLONEDX_PACKAGE_TYPES.includes(c['type'] as string)) n++;
    if (Array.isArray(c['components'])) n += countCyclonedxPackages(c['components']);
  }
  return n;
}

function cyclonedxSubject(doc: Record<string, unknown>): SbomSubject | undefined {
  const metadata = doc['metadata'];
  const c = isRecord(metadata) ? metadata['component'] : undefined;
  if (!isRecord(c) || c['type'] !== 'container' || typeof c['name'] !== 'string') return undefined;
  const version = typeof c['version'] === 'string' ? c['version'] : undefined;
  if (version !== undefined && DIGEST_IN_TEXT.test(version)) return { name: c['name'], digest: version };
  return { name: c['name'], ...(version ? { version } : {}) };
}

function cyclonedxGenerator(doc: Record<string, unknown>): string | undefined {
  const metadata = doc['metadata'];
  const tools = isRecord(metadata) ? metadata['tools'] : undefined;
  // 1.5+ writes { components: [...] }; earlier versions a plain list.
  const list = Array.isArray(tools) ? tools : isRecord(tools) && Array.isArray(tools['components']) ? tools['components'] : [];
  const t = list.find(isRecord);
  if (!t || typeof t['name'] !== 'string') return undefined;
  return typeof t['version'] === 'string' ? `${t['name']}-${t['version']}` : t['name'];
}

// --- helpers ------------------------------------------------------------------------------------

function arrayField(doc: Record<string, unknown>, key: string, file: string): unknown[] {
  const v = doc[key];
  if (v === undefined) return [];
  if (!Array.isArray(v)) {
    throw new LockstepError({ file, pointer: `/${key}`, message: `${key} must be a list, got ${typeof v}`, fix: 'regenerate the SBOM with syft', code: 'sbom/shape' });
  }
  return v;
}

function unknownFormat(file: string, why: string): LockstepError {
  return new LockstepError({
    file,
    message: `not an SPDX JSON or CycloneDX JSON SBOM: ${why}`,
    fix: 'generate it with `syft scan IMAGE -o spdx-json@2.3` or `-o cyclonedx-json@1.6`',
    code: 'sbom/unknown-format',
  });
}

function unsupportedVersion(file: string, pointer: string, value: unknown, format: SbomFormat): LockstepError {
  const supported = SUPPORTED_SPEC_VERSIONS[format].join(', ');
  return new LockstepError({
    file,
    pointer,
    message: `unsupported ${format === 'spdx-json' ? 'SPDX' : 'CycloneDX'} version ${JSON.stringify(value)}`,
    fix: `Lockstep reads ${format === 'spdx-json' ? 'SPDX' : 'CycloneDX'} ${supported}; regenerate with \`syft scan IMAGE -o ${format === 'spdx-json' ? 'spdx-json@2.3' : 'cyclonedx-json@1.6'}\``,
    code: 'sbom/unsupported-version',
  });
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
