import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pae, parseEnvelope, signDsse, verifyDsse } from '../../../src/supply-chain/signing/dsse.ts';
import { openssl, p256, tempDir } from './helpers.ts';

describe('pae', () => {
  it('matches the DSSE specification test vector', () => {
    expect(pae('http://example.com/HelloWorld', Buffer.from('hello world')).toString('utf8')).toBe('DSSEv1 29 http://example.com/HelloWorld 11 hello world');
  });

  it('counts bytes, not characters', () => {
    expect(pae('t', Buffer.from('é', 'utf8')).toString('utf8')).toBe('DSSEv1 1 t 2 é');
  });

  it('encodes an empty payload', () => {
    expect(pae('', Buffer.alloc(0)).toString('utf8')).toBe('DSSEv1 0  0 ');
  });
});

describe('signDsse / verifyDsse', () => {
  it('round-trips and returns the payload', () => {
    const { privateKey, publicPem } = p256();
    const env = signDsse('{"a":1}', 'application/vnd.in-toto+json', privateKey);
    expect(Object.keys(env)).toEqual(['payloadType', 'payload', 'signatures']);
    expect(env.signatures).toEqual([{ keyid: '', sig: expect.any(String) }]);
    expect(verifyDsse(env, publicPem)).toEqual({ payloadType: 'application/vnd.in-toto+json', payload: Buffer.from('{"a":1}') });
  });

  it('signs the PAE so that openssl verifies it', () => {
    const { privateKey, publicPem } = p256();
    const env = signDsse('payload', 'text/plain', privateKey);
    const dir = tempDir();
    writeFileSync(join(dir, 'pub.pem'), publicPem);
    writeFileSync(join(dir, 'sig.der'), Buffer.from(env.signatures[0]?.sig ?? '', 'base64'));
    writeFileSync(join(dir, 'pae'), 'DSSEv1 10 text/plain 7 payload');
    expect(openssl(['dgst', '-sha256', '-verify', join(dir, 'pub.pem'), '-signature', join(dir, 'sig.der'), join(dir, 'pae')])).toBe('Verified OK\n');
  });

  it('accepts URL-safe base64 in the payload and signature', () => {
    const { privateKey, publicPem } = p256();
    const payload = Buffer.from([0xfb, 0xff, 0xfe]);
    const env = signDsse(payload, 'x', privateKey);
    const urlSafe = { ...env, payload: env.payload.replace(/\+/g, '-').replace(/\//g, '_') };
    expect(verifyDsse(urlSafe, publicPem).payload).toEqual(payload);
  });

  it('passes when one of several signatures verifies', () => {
    const signer = p256();
    const other = p256();
    const a = signDsse('p', 't', other.privateKey);
    const b = signDsse('p', 't', signer.privateKey);
    expect(verifyDsse({ ...a, signatures: [...a.signatures, ...b.signatures] }, signer.publicPem).payload.toString()).toBe('p');
  });

  it('fails when one byte of the payload changed', () => {
    const { privateKey, publicPem } = p256();
    const env = signDsse('{"a":1}', 't', privateKey);
    const changed = { ...env, payload: Buffer.from('{"a":2}').toString('base64') };
    expect(() => verifyDsse(changed, publicPem, 'att.json')).toThrow(/^att\.json: invalid signature: none of the 1 DSSE signature\(s\) verifies with the given public key/);
  });

  it('fails when the payloadType changed', () => {
    const { privateKey, publicPem } = p256();
    const env = signDsse('{}', 'application/vnd.in-toto+json', privateKey);
    expect(() => verifyDsse({ ...env, payloadType: 'application/json' }, publicPem)).toThrow(/invalid signature/);
  });

  it('fails when verified with another key', () => {
    const env = signDsse('{}', 't', p256().privateKey);
    expect(() => verifyDsse(env, p256().publicPem)).toThrow(/invalid signature/);
  });

  it('fails when a signature is not DER', () => {
    const { publicPem } = p256();
    expect(() => verifyDsse({ payloadType: 't', payload: '', signatures: [{ keyid: '', sig: 'AAAA' }] }, publicPem)).toThrow(/invalid signature/);
  });

  it('fails when given a public key to sign with', () => {
    expect(() => signDsse('x', 't', p256().publicKey)).toThrow(/signDsse needs a private key, got a public key/);
  });
});

describe('parseEnvelope', () => {
  it('parses JSON text and defaults a missing keyid to empty', () => {
    expect(parseEnvelope('{"payloadType":"t","payload":"","signatures":[{"sig":"AA=="}]}')).toEqual({ payloadType: 't', payload: '', signatures: [{ keyid: '', sig: 'AA==' }] });
  });

  it('fails when the text is not JSON', () => {
    expect(() => parseEnvelope('{', 'e.json')).toThrow(/^e\.json: DSSE envelope is not JSON/);
  });

  it('fails when the value is not an object', () => {
    expect(() => parseEnvelope('"x"')).toThrow(/DSSE envelope must be a JSON object/);
  });

  it('fails when payloadType is missing', () => {
    expect(() => parseEnvelope({ payload: '', signatures: [] })).toThrow(/\/payloadType: DSSE envelope has no "payloadType"/);
  });

  it('fails when the payload is not base64', () => {
    expect(() => parseEnvelope({ payloadType: 't', payload: '%%', signatures: [] })).toThrow(/\/payload: DSSE envelope "payload" must be a base64 string/);
  });

  it('fails when there are no signatures', () => {
    expect(() => parseEnvelope({ payloadType: 't', payload: '', signatures: [] })).toThrow(/\/signatures: DSSE envelope has no signatures/);
  });

  it('fails when a signature has no sig', () => {
    expect(() => parseEnvelope({ payloadType: 't', payload: '', signatures: [{ keyid: 'k' }] })).toThrow(/\/signatures\/0\/sig: DSSE signature 0 has no base64 "sig"/);
  });
});
