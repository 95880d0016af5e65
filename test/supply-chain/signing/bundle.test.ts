import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { dsseBundle, messageSignatureBundle, parseBundle } from '../../../src/supply-chain/signing/bundle.ts';
import { problemCode } from '../../../src/supply-chain/signing/problems.ts';

const digest = createHash('sha256').update('blob').digest();
const made = messageSignatureBundle(digest, Buffer.from([0x30, 0x00]), 'aGludA==');

describe('messageSignatureBundle', () => {
  it('builds the v0.3 key bundle shape cosign sign-blob --bundle writes without a tlog', () => {
    expect(made).toEqual({
      mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
      verificationMaterial: { publicKey: { hint: 'aGludA==' }, timestampVerificationData: {} },
      messageSignature: { messageDigest: { algorithm: 'SHA2_256', digest: digest.toString('base64') }, signature: 'MAA=' },
    });
    expect(Object.keys(made)).toEqual(['mediaType', 'verificationMaterial', 'messageSignature']);
  });
});

describe('dsseBundle', () => {
  it('carries the envelope with an empty keyid, as cosign writes it', () => {
    const b = dsseBundle(Buffer.from('{}'), 'application/vnd.in-toto+json', Buffer.from([1]), 'aGludA==');
    expect(b.dsseEnvelope).toEqual({ payload: 'e30=', payloadType: 'application/vnd.in-toto+json', signatures: [{ sig: 'AQ==', keyid: '' }] });
    expect(b.mediaType).toBe('application/vnd.dev.sigstore.bundle.v0.3+json');
  });
});

describe('parseBundle', () => {
  it('parses a Sigstore bundle from text', () => {
    const parsed = parseBundle(JSON.stringify(made));
    expect(parsed.format).toBe('sigstore');
    if (parsed.format === 'sigstore') expect(parsed.bundle.content.$case).toBe('messageSignature');
  });

  it('parses a legacy cosign bundle', () => {
    expect(parseBundle({ base64Signature: 'MAA=', cert: 'Y2VydA==' })).toEqual({ format: 'legacy', legacy: { base64Signature: 'MAA=', cert: 'Y2VydA==' } });
  });

  it('keeps the rekorBundle of a legacy bundle so the verifier can refuse it', () => {
    const parsed = parseBundle({ base64Signature: 'MAA=', rekorBundle: { SignedEntryTimestamp: 'x' } });
    expect(parsed).toMatchObject({ format: 'legacy', legacy: { rekorBundle: { SignedEntryTimestamp: 'x' } } });
  });

  it('fails when the text is not JSON', () => {
    expect(() => parseBundle('{', 'b.json')).toThrow(/^b\.json: bundle is not JSON/);
  });

  it('fails when the JSON is not an object', () => {
    expect(() => parseBundle('[1]')).toThrow(/bundle must be a JSON object, got an array/);
  });

  it('fails when the media type is a version cosign does not accept', () => {
    const err = (() => {
      try {
        return parseBundle({ ...made, mediaType: 'application/vnd.dev.sigstore.bundle.v0.4+json' });
      } catch (e) {
        return e;
      }
    })();
    expect(problemCode(err)).toBe('signing/unsupported-bundle');
    expect(String(err)).toMatch(/\/mediaType: unsupported bundle media type "application\/vnd\.dev\.sigstore\.bundle\.v0\.4\+json"/);
  });

  it('fails when required bundle fields are missing, naming them', () => {
    expect(() => parseBundle({ mediaType: made.mediaType })).toThrow(/malformed Sigstore bundle: missing or invalid "content", "verificationMaterial"/);
  });

  it('fails when a field has the wrong type', () => {
    expect(() => parseBundle({ ...made, verificationMaterial: 'x' })).toThrow(/malformed Sigstore bundle/);
  });

  it('fails when the object is neither bundle shape', () => {
    expect(() => parseBundle({ signature: 'x' })).toThrow(/neither a Sigstore bundle \(no "mediaType"\) nor a legacy cosign bundle \(no "base64Signature"\)/);
  });

  it('fails when a legacy bundle has an empty signature', () => {
    expect(() => parseBundle({ base64Signature: '' })).toThrow(/\/base64Signature: legacy cosign bundle has an empty or non-string "base64Signature"/);
  });

  it('fails when a legacy bundle cert is not a string', () => {
    expect(() => parseBundle({ base64Signature: 'MAA=', cert: 1 })).toThrow(/\/cert: legacy cosign bundle "cert" must be a string/);
  });
});
