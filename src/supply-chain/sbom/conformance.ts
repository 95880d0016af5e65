import type { SuiteResult } from '../../conformance/suite-result.ts';
/**
 * Conformance: replays the real SBOMs in the shared fixtures (`<root>/supply-chain/sboms/`) through
 * the reader and validators, and checks the compact SPDX schema against the official SPDX 2.3 schema
 * (`<root>/supply-chain/schemas/spdx-2.3-schema.json`, read from the fixtures, never vendored).
 *
 * Checks:
 * 1. every fixture SBOM reads with the expected format, spec version, package count and subject;
 * 2. syft's three snapshots of one scan (SPDX, CycloneDX, syft-json) give the same package count, the
 *    syft-json `artifacts` count, and the same image digest;
 * 3. CycloneDX fixtures validate with the library's schemas (the redacted syft snapshot must fail on
 *    its serial number, as syft's own test expects);
 * 4. for each SPDX fixture, and for broken variants of the valid ones, the compact schema and the
 *    official schema give the same verdict.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import type { ValidateFunction } from 'ajv';
import { readSbom } from './read.ts';
import type { SbomFormat } from './read.ts';
import { validateSbom, validateSpdxDocument } from './validate.ts';

export type { SuiteResult } from '../../conformance/suite-result.ts';

interface Expected {
  readonly file: string;
  readonly format: SbomFormat;
  readonly specVersion: string;
  readonly packageCount: number;
  readonly subjectName?: string;
  readonly subjectDigest?: string;
  /** Expected CycloneDX validation outcome: true = valid, string = invalid with a problem at this pointer. */
  readonly cyclonedxValid?: true | string;
}

/**
 * Expected values, established from the files and syft's counting rule (see read.ts):
 * alpine 14 packages (no root package in syft 0.57's SPDX 2.2), kubectl 89 packages minus the
 * CONTAINER root = 88, busybox 1 operating-system component = 0 packages, mongo 292 libraries + 1
 * operating-system = 292, syft snapshots 2 packages each.
 */
const EXPECTED: readonly Expected[] = [
  { file: 'alpine-spdx.json', format: 'spdx-json', specVersion: '2.2', packageCount: 14 },
  {
    file: 'oci-kubectl-linux-amd64-spdx-1.json', format: 'spdx-json', specVersion: '2.3', packageCount: 88,
    subjectName: 'k8supstream.azurecr.io/public/oss/kubernetes/kubectl',
    subjectDigest: 'sha256:ee398c1e436e28bb57d16e3fed395657e877890295483bf21c016acbab6b7fd1',
  },
  {
    file: 'busybox-cyclonedx.json', format: 'cyclonedx-json', specVersion: '1.4', packageCount: 0,
    subjectName: 'docker.io/library/busybox',
    subjectDigest: 'sha256:bf5e28853a83134e949201fb5979927a9e5cc74cb747b7a080d96eaba1303411',
    cyclonedxValid: true,
  },
  {
    file: 'big-mongo-cyclonedx.json', format: 'cyclonedx-json', specVersion: '1.4', packageCount: 292,
    subjectName: 'docker.io/library/mongo',
    subjectDigest: 'sha256:fd73df9425bd48f25d7e913422af8124a6eadbd5d99f67bbd4a8b121f59b1187',
    cyclonedxValid: true,
  },
  {
    file: 'syft-goldens/TestSPDXJSONImageEncoder.golden', format: 'spdx-json', specVersion: '2.3', packageCount: 2,
    subjectName: 'user-image-input',
    subjectDigest: 'sha256:2731251dc34951c0e50fcc643b4c5f74922dad1a5d98f302b504cf46cd5d9368',
  },
  {
    // Redacted snapshot: no digest in metadata.component.version, serialNumber "urn:uuid:redacted".
    file: 'syft-goldens/TestCycloneDxImageEncoder.golden', format: 'cyclonedx-json', specVersion: '1.7', packageCount: 2,
    subjectName: 'user-image-input',
    cyclonedxValid: '/serialNumber',
  },
];

const SPDX_FIXTURES = ['alpine-spdx.json', 'oci-kubectl-linux-amd64-spdx-1.json', 'syft-goldens/TestSPDXJSONImageEncoder.golden'];

type Json = Record<string, unknown>;

/** Broken variants of a valid SPDX document; each must be rejected by both schemas. */
function spdxMutations(doc: Json): { name: string; doc: Json }[] {
  const out: { name: string; doc: Json }[] = [];
  const variant = (name: string, edit: (d: Json) => boolean): void => {
    const copy = structuredClone(doc);
    if (edit(copy)) out.push({ name, doc: copy });
  };
  const pkgs = (d: Json): Json[] => (Array.isArray(d['packages']) ? (d['packages'] as Json[]) : []);
  variant('no creationInfo', (d) => delete d['creationInfo']);
  variant('no dataLicense', (d) => delete d['dataLicense']);
  variant('creationInfo without creators', (d) => delete (d['creationInfo'] as Json)['creators']);
  variant('package without name', (d) => pkgs(d).length > 0 && delete pkgs(d)[0]!['name']);
  variant('package without downloadLocation', (d) => pkgs(d).length > 0 && delete pkgs(d)[0]!['downloadLocation']);
  variant('externalRef category PACKAGE_MANAGER (SPDX 2.2 spelling)', (d) => {
    const ref = pkgs(d).flatMap((p) => (Array.isArray(p['externalRefs']) ? (p['externalRefs'] as Json[]) : []))[0];
    if (!ref) return false;
    ref['referenceCategory'] = 'PACKAGE_MANAGER';
    return true;
  });
  variant('checksum algorithm SHA-256 (not an SPDX name)', (d) => {
    const p = pkgs(d).find((x) => Array.isArray(x['checksums']) && (x['checksums'] as unknown[]).length > 0);
    if (!p) return false;
    (p['checksums'] as Json[])[0]!['algorithm'] = 'SHA-256';
    return true;
  });
  variant('primaryPackagePurpose IMAGE', (d) => {
    const p = pkgs(d).find((x) => typeof x['primaryPackagePurpose'] === 'string');
    if (!p) return false;
    p['primaryPackagePurpose'] = 'IMAGE';
    return true;
  });
  variant('relationshipType RELATED_TO', (d) => {
    const r = Array.isArray(d['relationships']) ? (d['relationships'] as Json[])[0] : undefined;
    if (!r) return false;
    r['relationshipType'] = 'RELATED_TO';
    return true;
  });
  variant('file without checksums', (d) => {
    const f = Array.isArray(d['files']) ? (d['files'] as Json[])[0] : undefined;
    return f !== undefined && delete f['checksums'];
  });
  variant('packages is not a list', (d) => {
    d['packages'] = {};
    return true;
  });
  return out;
}

export async function conformanceSboms(fixturesRoot: string): Promise<SuiteResult> {
  const result: SuiteResult = { suite: 'sboms', passed: 0, failed: 0, skipped: 0, failures: [] };
  const check = (name: string, ok: boolean, detail: string): void => {
    if (ok) result.passed++;
    else {
      result.failed++;
      result.failures.push(`${name}: ${detail}`);
    }
  };
  const dir = join(fixturesRoot, 'supply-chain', 'sboms');
  const bytes = async (file: string): Promise<Buffer> => readFile(join(dir, file));

  // 1. Reading.
  const infos = new Map<string, ReturnType<typeof readSbom>>();
  for (const e of EXPECTED) {
    let info: ReturnType<typeof readSbom>;
    try {
      info = readSbom(await bytes(e.file), e.file);
    } catch (err) {
      check(`read ${e.file}`, false, (err as Error).message);
      continue;
    }
    infos.set(e.file, info);
    const got = { format: info.format, specVersion: info.specVersion, packageCount: info.packageCount, subjectName: info.subject?.name, subjectDigest: info.subject?.digest };
    const want = { format: e.format, specVersion: e.specVersion, packageCount: e.packageCount, subjectName: e.subjectName, subjectDigest: e.subjectDigest };
    check(`read ${e.file}`, JSON.stringify(got) === JSON.stringify(want), `got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
  }

  // 2. syft snapshots of one scan agree with each other and with syft-json.
  try {
    const syftJson = JSON.parse((await bytes('syft-goldens/TestImageEncoder.golden')).toString('utf8')) as Json;
    const artifacts = Array.isArray(syftJson['artifacts']) ? syftJson['artifacts'].length : -1;
    const manifestDigest = ((syftJson['source'] as Json | undefined)?.['metadata'] as Json | undefined)?.['manifestDigest'];
    for (const golden of ['syft-goldens/TestSPDXJSONImageEncoder.golden', 'syft-goldens/TestCycloneDxImageEncoder.golden']) {
      const count = infos.get(golden)?.packageCount;
      check(`package count of ${golden} equals syft-json artifacts`, count === artifacts, `got ${count}, syft-json has ${artifacts} artifacts`);
    }
    const spdxDigest = infos.get('syft-goldens/TestSPDXJSONImageEncoder.golden')?.subject?.digest;
    check('SPDX snapshot subject digest equals syft-json manifestDigest', spdxDigest === manifestDigest, `got ${spdxDigest}, syft-json has ${String(manifestDigest)}`);
  } catch (err) {
    check('syft-json snapshot', false, (err as Error).message);
  }

  // 3. CycloneDX validation with the library.
  for (const e of EXPECTED) {
    if (e.cyclonedxValid === undefined) continue;
    let problems: Awaited<ReturnType<typeof validateSbom>>;
    try {
      problems = await validateSbom(await bytes(e.file), e.file);
    } catch (err) {
      check(`CycloneDX validation of ${e.file}`, false, (err as Error).message);
      continue;
    }
    if (e.cyclonedxValid === true) {
      check(`CycloneDX schema accepts ${e.file}`, problems.length === 0, problems.slice(0, 3).map((p) => `${p.pointer}: ${p.message}`).join('; '));
    } else {
      const pointer = e.cyclonedxValid;
      check(`CycloneDX schema rejects ${e.file} at ${pointer}`, problems.some((p) => p.pointer === pointer), `problems: ${problems.map((p) => p.pointer).join(', ') || 'none'}`);
    }
  }

  // 4. Compact SPDX schema agrees with the official one.
  let official: ValidateFunction;
  try {
    const schema = JSON.parse(await readFile(join(fixturesRoot, 'supply-chain', 'schemas', 'spdx-2.3-schema.json'), 'utf8')) as object;
    official = new Ajv({ allErrors: true, strict: false }).compile(schema);
  } catch (err) {
    check('official SPDX 2.3 schema compiles', false, (err as Error).message);
    return result;
  }
  for (const file of SPDX_FIXTURES) {
    let doc: Json;
    try {
      doc = JSON.parse((await bytes(file)).toString('utf8')) as Json;
    } catch (err) {
      check(`SPDX schemas agree on ${file}`, false, (err as Error).message);
      continue;
    }
    const officialValid = official(doc) === true;
    const compactValid = validateSpdxDocument(doc, file).length === 0;
    check(
      `SPDX schemas agree on ${file}`,
      officialValid === compactValid,
      `official says ${officialValid ? 'valid' : 'invalid'}, compact says ${compactValid ? 'valid' : 'invalid'}`,
    );
    if (!officialValid) continue;
    // Broken variants of a valid document: both schemas must reject each one.
    for (const m of spdxMutations(doc)) {
      const officialRejects = official(m.doc) === false;
      const compactRejects = validateSpdxDocument(m.doc, file).length > 0;
      check(
        `SPDX schemas both reject ${file} with ${m.name}`,
        officialRejects && compactRejects,
        `official ${officialRejects ? 'rejects' : 'accepts'}, compact ${compactRejects ? 'rejects' : 'accepts'}`,
      );
    }
  }
  return result;
}
