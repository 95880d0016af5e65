import { describe, expect, it } from 'vitest';
import { canonicalJson, makeStatement, parsePredicateType, slsaProvenanceV1 } from '../../../src/supply-chain/signing/intoto.ts';

const sha = 'a'.repeat(64);

describe('makeStatement', () => {
  it('builds an in-toto Statement v1', () => {
    expect(makeStatement({ subjects: [{ name: 'manifests.tar', digest: { sha256: sha } }], predicateType: 'https://slsa.dev/provenance/v1', predicate: { x: 1 } })).toEqual({
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ name: 'manifests.tar', digest: { sha256: sha } }],
      predicateType: 'https://slsa.dev/provenance/v1',
      predicate: { x: 1 },
    });
  });

  it('sorts digest algorithms so the output is deterministic', () => {
    const s = makeStatement({ subjects: [{ name: 'f', digest: { sha512: 'b'.repeat(128), sha256: sha } }], predicateType: 'https://x.example/p', predicate: {} });
    expect(Object.keys(s.subject[0]?.digest ?? {})).toEqual(['sha256', 'sha512']);
  });

  it('fails when there are no subjects', () => {
    expect(() => makeStatement({ subjects: [], predicateType: 'https://x.example/p', predicate: {} })).toThrow(/\/subject: a statement needs at least one subject/);
  });

  it('fails when a sha256 digest is not 64 lowercase hex characters', () => {
    expect(() => makeStatement({ subjects: [{ name: 'f', digest: { sha256: 'ABC' } }], predicateType: 'https://x.example/p', predicate: {} })).toThrow(
      /\/subject\/0\/digest\/sha256: subject 0 \(f\) sha256 digest must be 64 lowercase hex characters, got "ABC"/,
    );
  });

  it('fails when a subject has no digest', () => {
    expect(() => makeStatement({ subjects: [{ name: 'f', digest: {} }], predicateType: 'https://x.example/p', predicate: {} })).toThrow(/subject 0 \(f\) has no digest/);
  });

  it('fails when a subject has no name', () => {
    expect(() => makeStatement({ subjects: [{ digest: { sha256: sha } } as never], predicateType: 'https://x.example/p', predicate: {} })).toThrow(/subject 0 has no name/);
  });

  it('fails when the predicate type is not a URI', () => {
    expect(() => makeStatement({ subjects: [{ name: 'f', digest: { sha256: sha } }], predicateType: 'slsa', predicate: {} })).toThrow(/\/predicateType: predicateType must be an absolute URI, got "slsa"/);
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every level and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: null } })).toBe('{"a":{"c":null,"d":[2,1]},"b":1}');
  });
});

describe('slsaProvenanceV1', () => {
  it('builds the predicate with the times passed in', () => {
    expect(
      slsaProvenanceV1({
        buildType: 'https://lockstep.dev/build/v1',
        builderId: 'https://github.com/acme/platform/.github/workflows/release.yml@refs/heads/main',
        externalParameters: { environment: 'prod' },
        resolvedDependencies: [{ uri: 'git+https://github.com/acme/platform@abc', digest: { gitCommit: 'abc' } }],
        invocationId: 'run-42',
        startedOn: '2026-01-31T12:00:00Z',
        finishedOn: new Date(Date.UTC(2026, 0, 31, 12, 5)),
      }),
    ).toEqual({
      buildDefinition: {
        buildType: 'https://lockstep.dev/build/v1',
        externalParameters: { environment: 'prod' },
        resolvedDependencies: [{ uri: 'git+https://github.com/acme/platform@abc', digest: { gitCommit: 'abc' } }],
      },
      runDetails: {
        builder: { id: 'https://github.com/acme/platform/.github/workflows/release.yml@refs/heads/main' },
        metadata: { invocationId: 'run-42', startedOn: '2026-01-31T12:00:00Z', finishedOn: '2026-01-31T12:05:00.000Z' },
      },
    });
  });

  it('omits optional sections that were not given', () => {
    expect(slsaProvenanceV1({ buildType: 'https://b.example/t', builderId: 'https://b.example/id', externalParameters: {} })).toEqual({
      buildDefinition: { buildType: 'https://b.example/t', externalParameters: {} },
      runDetails: { builder: { id: 'https://b.example/id' } },
    });
  });

  it('fails when a time is not RFC 3339', () => {
    expect(() => slsaProvenanceV1({ buildType: 'https://b.example/t', builderId: 'https://b.example/id', externalParameters: {}, startedOn: 'yesterday' })).toThrow(
      /\/runDetails\/metadata\/startedOn must be an RFC 3339 time, got "yesterday"/,
    );
  });

  it('fails when a Date is invalid', () => {
    expect(() => slsaProvenanceV1({ buildType: 'https://b.example/t', builderId: 'https://b.example/id', externalParameters: {}, finishedOn: new Date(Number.NaN) })).toThrow(/finishedOn is an invalid Date/);
  });

  it('fails when the builder id is not a URI', () => {
    expect(() => slsaProvenanceV1({ buildType: 'https://b.example/t', builderId: 'ci', externalParameters: {} })).toThrow(/\/runDetails\/builder\/id must be an absolute URI, got "ci"/);
  });

  it('fails when a dependency has neither uri nor digest', () => {
    expect(() => slsaProvenanceV1({ buildType: 'https://b.example/t', builderId: 'https://b.example/id', externalParameters: {}, resolvedDependencies: [{ name: 'x' }] })).toThrow(
      /resolvedDependencies\[0\] needs a "uri" or a "digest"/,
    );
  });
});

describe('parsePredicateType', () => {
  it('maps cosign --type aliases', () => {
    expect(parsePredicateType('slsaprovenance1')).toBe('https://slsa.dev/provenance/v1');
    expect(parsePredicateType('slsaprovenance')).toBe('https://slsa.dev/provenance/v0.2');
    expect(parsePredicateType('spdxjson')).toBe('https://spdx.dev/Document');
    expect(parsePredicateType('cyclonedx')).toBe('https://cyclonedx.org/bom');
    expect(parsePredicateType('custom')).toBe('https://cosign.sigstore.dev/attestation/v1');
  });

  it('passes URIs through', () => {
    expect(parsePredicateType('https://acme.example/sbom-digest/v1')).toBe('https://acme.example/sbom-digest/v1');
  });

  it('fails when the type is neither an alias nor a URI', () => {
    expect(() => parsePredicateType('provenance')).toThrow(/invalid predicate type: "provenance"; use one of slsaprovenance\|/);
  });
});
