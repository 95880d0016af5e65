import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { keyTrustMaterial, parseTrustedRoot } from '../../../src/supply-chain/signing/trust.ts';

const emptyRoot = JSON.stringify({ mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1', tlogs: [], certificateAuthorities: [], ctlogs: [], timestampAuthorities: [] });

describe('keyTrustMaterial', () => {
  it('trusts the given key for any hint, as cosign --key does', () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const tm = keyTrustMaterial(publicKey);
    expect(tm.publicKey('any-hint').publicKey).toBe(publicKey);
    expect(tm.publicKey('').validFor(new Date(0))).toBe(true);
    expect(tm.tlogs).toEqual([]);
  });
});

describe('parseTrustedRoot', () => {
  it('reads a trusted_root.json document', () => {
    expect(parseTrustedRoot(emptyRoot).tlogs).toEqual([]);
  });

  it('fails when the document is not a trusted root', () => {
    expect(() => parseTrustedRoot('{"mediaType":"x"}', 'root.json')).toThrow(/^root\.json: trusted root is not a Sigstore trusted_root\.json \(mediaType is "x"\)/);
  });

  it('fails when the text is not JSON', () => {
    expect(() => parseTrustedRoot('{')).toThrow(/trusted root is not a Sigstore trusted_root\.json/);
  });
});
