import { describe, expect, it } from 'vitest';
import { bundleFromJSON } from '@sigstore/bundle';
import { signBlob } from '../../../src/supply-chain/signing/blob.ts';
import { problemCode } from '../../../src/supply-chain/signing/problems.ts';
import { verifyBundleWithKey } from '../../../src/supply-chain/signing/verify-bundle.ts';
import { p256 } from './helpers.ts';

const data = Buffer.from('rendered manifests');

// A structurally valid but made-up Rekor entry: enough for the bundle loader, never for a verifier.
const fakeEntry = {
  logIndex: '1',
  logId: { keyId: Buffer.alloc(32, 1).toString('base64') },
  kindVersion: { kind: 'hashedrekord', version: '0.0.1' },
  integratedTime: '1700000000',
  inclusionPromise: { signedEntryTimestamp: 'MEUCIQ==' },
  inclusionProof: { logIndex: '1', rootHash: Buffer.alloc(32).toString('base64'), treeSize: '2', hashes: [], checkpoint: { envelope: 'x' } },
  canonicalizedBody: Buffer.from('{}').toString('base64'),
};

const emptyRoot = JSON.stringify({ mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1', tlogs: [], certificateAuthorities: [], ctlogs: [], timestampAuthorities: [] });

function loggedBundle() {
  const { privateKey, publicKey } = p256();
  const json = signBlob(data, privateKey).bundle;
  const bundle = bundleFromJSON({ ...json, verificationMaterial: { ...json.verificationMaterial, tlogEntries: [fakeEntry] } });
  return { bundle, publicKey };
}

describe('verifyBundleWithKey', () => {
  it('ignores tlog entries under insecureIgnoreTlog, as cosign does, and counts them', () => {
    const { bundle, publicKey } = loggedBundle();
    expect(verifyBundleWithKey(bundle, publicKey, data, { insecureIgnoreTlog: true })).toEqual({ tlogEntriesVerified: 0, tlogEntriesIgnored: 1 });
  });

  it('fails when tlog entries must be checked and no trusted root is given', () => {
    const { bundle, publicKey } = loggedBundle();
    expect(() => verifyBundleWithKey(bundle, publicKey, data, {}, 'b.json')).toThrow(
      /^b\.json: \/verificationMaterial\/tlogEntries: the bundle has 1 transparency log entry, which cannot be checked offline without a trusted root/,
    );
  });

  it('fails when the tlog entry does not verify against the trusted root', () => {
    const { bundle, publicKey } = loggedBundle();
    let err: unknown;
    try {
      verifyBundleWithKey(bundle, publicKey, data, { trustedRoot: emptyRoot });
    } catch (e) {
      err = e;
    }
    expect(problemCode(err)).toBe('signing/tlog-invalid');
    expect(String(err)).toMatch(/transparency log entry does not verify against the trusted root \(TLOG_/);
  });

  it('fails when the bundle is keyless', () => {
    const { privateKey, publicKey } = p256();
    const json = signBlob(data, privateKey).bundle;
    const keyless = bundleFromJSON({ ...json, verificationMaterial: { certificate: { rawBytes: 'MAA=' }, tlogEntries: [] } });
    expect(() => verifyBundleWithKey(keyless, publicKey, data, { insecureIgnoreTlog: true })).toThrow(
      /the bundle is signed with a certificate \(keyless, "certificate"\), not a key; Lockstep verifies key-signed bundles only/,
    );
  });

  it('fails when the message digest algorithm is not SHA2_256', () => {
    const { privateKey, publicKey } = p256();
    const json = signBlob(data, privateKey).bundle;
    const b = bundleFromJSON({ ...json, messageSignature: { ...json.messageSignature, messageDigest: { algorithm: 'SHA2_384', digest: 'AA==' } } });
    expect(() => verifyBundleWithKey(b, publicKey, data, { insecureIgnoreTlog: true })).toThrow(/bundle message digest algorithm is SHA2_384; only SHA2_256 is supported/);
  });
});
