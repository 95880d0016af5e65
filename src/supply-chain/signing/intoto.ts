/**
 * in-toto Statement v1 and the SLSA Provenance v1 predicate, plus cosign's `--type` aliases.
 * Builders validate their input and never read the clock: times are passed in.
 */
import { signingError } from './problems.ts';

export const STATEMENT_V1_TYPE = 'https://in-toto.io/Statement/v1';
export const SLSA_PROVENANCE_V1 = 'https://slsa.dev/provenance/v1';

/** cosign `--type` short names (`cmd/cosign/cli/options/predicate.go`); anything else must be a URI. */
export const PREDICATE_TYPE_ALIASES: Readonly<Record<string, string>> = {
  slsaprovenance: 'https://slsa.dev/provenance/v0.2',
  slsaprovenance02: 'https://slsa.dev/provenance/v0.2',
  slsaprovenance1: SLSA_PROVENANCE_V1,
  link: 'https://in-toto.io/Link/v1',
  spdx: 'https://spdx.dev/Document',
  spdxjson: 'https://spdx.dev/Document',
  cyclonedx: 'https://cyclonedx.org/bom',
  vuln: 'https://cosign.sigstore.dev/attestation/vuln/v1',
  openvex: 'https://openvex.dev/ns',
  custom: 'https://cosign.sigstore.dev/attestation/v1',
};

/** cosign `ParsePredicateType`: an alias, or an absolute URI used as is. */
export function parsePredicateType(t: string): string {
  const alias = PREDICATE_TYPE_ALIASES[t];
  if (alias !== undefined) return alias;
  let ok = false;
  try {
    ok = new URL(t).protocol.length > 1;
  } catch {
    ok = false;
  }
  if (!ok) {
    throw signingError({
      code: 'signing/invalid-predicate-type',
      message: `invalid predicate type: ${JSON.stringify(t)}`,
      fix: `use one of ${Object.keys(PREDICATE_TYPE_ALIASES).join('|')} or an absolute URI`,
    });
  }
  return t;
}

export interface Subject {
  readonly name: string;
  readonly digest: Readonly<Record<string, string>> & { readonly sha256?: string };
}

export interface Statement<P = unknown> {
  readonly _type: typeof STATEMENT_V1_TYPE;
  readonly subject: readonly Subject[];
  readonly predicateType: string;
  readonly predicate: P;
}

function bad(message: string, pointer: string, fix: string): Error {
  return signingError({ code: 'signing/malformed-statement', message, pointer, fix });
}

const HEX_LENGTH: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128, sha1: 40 };

export function makeStatement<P>(input: { subjects: readonly Subject[]; predicateType: string; predicate: P }): Statement<P> {
  if (input.subjects.length === 0) throw bad('a statement needs at least one subject', '/subject', 'pass the artifacts the predicate is about');
  const subject = input.subjects.map((s, i) => {
    if (typeof s.name !== 'string') throw bad(`subject ${i} has no name`, `/subject/${i}/name`, 'name each subject (e.g. the file name)');
    const algs = Object.keys(s.digest ?? {}).sort();
    if (algs.length === 0) throw bad(`subject ${i} (${s.name}) has no digest`, `/subject/${i}/digest`, 'add {"sha256": "<hex>"}');
    const digest: Record<string, string> = {};
    for (const alg of algs) {
      const v = s.digest[alg] as string;
      const len = HEX_LENGTH[alg];
      if (len !== undefined && !new RegExp(`^[0-9a-f]{${len}}$`).test(v)) {
        throw bad(`subject ${i} (${s.name}) ${alg} digest must be ${len} lowercase hex characters, got ${JSON.stringify(v)}`, `/subject/${i}/digest/${alg}`, 'use the hex digest, e.g. from `sha256sum`');
      }
      digest[alg] = v;
    }
    return { name: s.name, digest };
  });
  parsePredicateTypeOrThrow(input.predicateType);
  return { _type: STATEMENT_V1_TYPE, subject, predicateType: input.predicateType, predicate: input.predicate };
}

function parsePredicateTypeOrThrow(t: string): void {
  try {
    new URL(t);
  } catch {
    throw bad(`predicateType must be an absolute URI, got ${JSON.stringify(t)}`, '/predicateType', `e.g. ${SLSA_PROVENANCE_V1}`);
  }
}

/** JSON with object keys sorted at every level: the statement's key order carries no meaning. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (typeof v === 'object' && v !== null) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) out[k] = sortKeys((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

/** in-toto ResourceDescriptor (the parts SLSA uses). */
export interface ResourceDescriptor {
  readonly uri?: string;
  readonly digest?: Readonly<Record<string, string>>;
  readonly name?: string;
  readonly annotations?: Readonly<Record<string, unknown>>;
}

export interface SlsaProvenanceV1Input {
  /** URI naming the build process template, e.g. `https://lockstep.dev/build/v1`. */
  readonly buildType: string;
  /** URI of the builder (CI workflow) trusted to produce this provenance. */
  readonly builderId: string;
  readonly externalParameters: Readonly<Record<string, unknown>>;
  readonly internalParameters?: Readonly<Record<string, unknown>>;
  readonly resolvedDependencies?: readonly ResourceDescriptor[];
  readonly invocationId?: string;
  /** RFC 3339 time or Date, passed in by the caller (never read from the clock here). */
  readonly startedOn?: string | Date;
  readonly finishedOn?: string | Date;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function timeField(v: string | Date | undefined, pointer: string): string | undefined {
  if (v === undefined) return undefined;
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) throw bad(`${pointer} is an invalid Date`, pointer, 'pass a valid time');
    return v.toISOString();
  }
  if (!RFC3339.test(v)) throw bad(`${pointer} must be an RFC 3339 time, got ${JSON.stringify(v)}`, pointer, 'e.g. "2026-01-31T12:00:00Z"');
  return v;
}

function requireUri(v: string, pointer: string): void {
  try {
    new URL(v);
  } catch {
    throw bad(`${pointer} must be an absolute URI, got ${JSON.stringify(v)}`, pointer, 'e.g. "https://github.com/acme/repo/.github/workflows/release.yml@refs/heads/main"');
  }
}

/** The SLSA Provenance v1 predicate (slsa.dev/provenance/v1); optional fields are omitted when unset. */
export function slsaProvenanceV1(input: SlsaProvenanceV1Input): Record<string, unknown> {
  requireUri(input.buildType, '/buildDefinition/buildType');
  requireUri(input.builderId, '/runDetails/builder/id');
  const deps = (input.resolvedDependencies ?? []).map((d, i) => {
    if (d.uri === undefined && (d.digest === undefined || Object.keys(d.digest).length === 0)) {
      throw bad(`resolvedDependencies[${i}] needs a "uri" or a "digest"`, `/buildDefinition/resolvedDependencies/${i}`, 'e.g. {"uri":"git+https://…@<sha>","digest":{"gitCommit":"<sha>"}}');
    }
    return d;
  });
  const startedOn = timeField(input.startedOn, '/runDetails/metadata/startedOn');
  const finishedOn = timeField(input.finishedOn, '/runDetails/metadata/finishedOn');
  const metadata: Record<string, string> = {};
  if (input.invocationId !== undefined) metadata.invocationId = input.invocationId;
  if (startedOn !== undefined) metadata.startedOn = startedOn;
  if (finishedOn !== undefined) metadata.finishedOn = finishedOn;
  return {
    buildDefinition: {
      buildType: input.buildType,
      externalParameters: input.externalParameters,
      ...(input.internalParameters !== undefined ? { internalParameters: input.internalParameters } : {}),
      ...(deps.length > 0 ? { resolvedDependencies: deps } : {}),
    },
    runDetails: {
      builder: { id: input.builderId },
      ...(Object.keys(metadata).length > 0 ? { metadata } : {}),
    },
  };
}
