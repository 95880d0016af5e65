import { describe, expect, it } from 'vitest';
import { decryptKeyMaterial, encryptKeyMaterial, SCRYPT_LEGACY, SCRYPT_OWASP } from '../../../src/supply-chain/signing/encrypted-key.ts';

const plaintext = Buffer.from('pkcs8 der would be here');

describe('cosign encrypted key container', () => {
  it('round-trips with the standard scrypt parameters cosign uses for new keys', async () => {
    const doc = await encryptKeyMaterial(plaintext, 'pw');
    expect(doc.kdf).toMatchObject({ name: 'scrypt', params: { N: 65536, r: 8, p: 1 } });
    expect(Buffer.from(doc.kdf.salt, 'base64')).toHaveLength(32);
    expect(Buffer.from(doc.cipher.nonce, 'base64')).toHaveLength(24);
    // secretbox adds a 16-byte Poly1305 tag
    expect(Buffer.from(doc.ciphertext, 'base64')).toHaveLength(plaintext.length + 16);
    expect(await decryptKeyMaterial(JSON.stringify(doc), 'pw')).toEqual(plaintext);
  });

  it('writes the JSON fields in go-securesystemslib order', async () => {
    const doc = await encryptKeyMaterial(plaintext, '', { params: SCRYPT_LEGACY });
    expect(JSON.stringify(doc)).toMatch(/^\{"kdf":\{"name":"scrypt","params":\{"N":32768,"r":8,"p":1\},"salt":"[^"]+"\},"cipher":\{"name":"nacl\/secretbox","nonce":"[^"]+"\},"ciphertext":"[^"]+"\}$/);
  });

  it('is deterministic when salt and nonce are fixed', async () => {
    const opts = { params: SCRYPT_LEGACY, salt: Buffer.alloc(32, 7), nonce: Buffer.alloc(24, 9) };
    expect(await encryptKeyMaterial(plaintext, 'a', opts)).toEqual(await encryptKeyMaterial(plaintext, 'a', opts));
  });

  it('accepts an empty password, which cosign allows', async () => {
    const doc = await encryptKeyMaterial(plaintext, '', { params: SCRYPT_LEGACY });
    expect(await decryptKeyMaterial(JSON.stringify(doc), '')).toEqual(plaintext);
  });

  it('decrypts the OWASP parameter set', async () => {
    const doc = await encryptKeyMaterial(plaintext, 'pw', { params: SCRYPT_OWASP });
    expect(await decryptKeyMaterial(JSON.stringify(doc), 'pw')).toEqual(plaintext);
  });

  it('fails when the password is wrong', async () => {
    const doc = await encryptKeyMaterial(plaintext, 'right', { params: SCRYPT_LEGACY });
    await expect(decryptKeyMaterial(JSON.stringify(doc), 'wrong', 'cosign.key')).rejects.toThrow(/^cosign\.key: decrypt: encrypted: decryption failed \(wrong password\?\)/);
  });

  it('fails when the ciphertext was changed', async () => {
    const doc = await encryptKeyMaterial(plaintext, 'pw', { params: SCRYPT_LEGACY });
    const ct = Buffer.from(doc.ciphertext, 'base64');
    ct[0] = (ct[0] ?? 0) ^ 1;
    await expect(decryptKeyMaterial(JSON.stringify({ ...doc, ciphertext: ct.toString('base64') }), 'pw')).rejects.toThrow(/decryption failed/);
  });

  it('fails when the kdf is not scrypt', async () => {
    const doc = await encryptKeyMaterial(plaintext, 'pw', { params: SCRYPT_LEGACY });
    await expect(decryptKeyMaterial(JSON.stringify({ ...doc, kdf: { ...doc.kdf, name: 'pbkdf2' } }), 'pw')).rejects.toThrow(/\/kdf\/name: encrypted: unsupported key derivation function "pbkdf2"/);
  });

  it('fails when the cipher is not nacl/secretbox', async () => {
    const doc = await encryptKeyMaterial(plaintext, 'pw', { params: SCRYPT_LEGACY });
    await expect(decryptKeyMaterial(JSON.stringify({ ...doc, cipher: { ...doc.cipher, name: 'aes-gcm' } }), 'pw')).rejects.toThrow(/encrypted: unsupported cipher "aes-gcm"/);
  });

  it('fails when the scrypt parameters are not one of the three accepted sets', async () => {
    const doc = await encryptKeyMaterial(plaintext, 'pw', { params: SCRYPT_LEGACY });
    const weak = { ...doc, kdf: { ...doc.kdf, params: { N: 1024, r: 8, p: 1 } } };
    await expect(decryptKeyMaterial(JSON.stringify(weak), 'pw')).rejects.toThrow(/encrypted: unexpected kdf parameters \{"N":1024,"r":8,"p":1\}/);
  });

  it('fails when the body is not JSON', async () => {
    await expect(decryptKeyMaterial('not json', 'pw', 'k.key')).rejects.toThrow(/k\.key: encrypted key body is not JSON/);
  });

  it('fails when kdf or cipher objects are missing', async () => {
    await expect(decryptKeyMaterial('{"ciphertext":"AA=="}', 'pw')).rejects.toThrow(/must have objects "kdf" and "cipher"/);
  });

  it('fails when a field is not base64', async () => {
    const doc = await encryptKeyMaterial(plaintext, 'pw', { params: SCRYPT_LEGACY });
    await expect(decryptKeyMaterial(JSON.stringify({ ...doc, ciphertext: '***' }), 'pw')).rejects.toThrow(/\/ciphertext: encrypted key field must be a base64 string, got "\*\*\*"/);
  });

  it('fails when the nonce has the wrong length', async () => {
    const doc = await encryptKeyMaterial(plaintext, 'pw', { params: SCRYPT_LEGACY });
    await expect(decryptKeyMaterial(JSON.stringify({ ...doc, cipher: { ...doc.cipher, nonce: 'AAAA' } }), 'pw')).rejects.toThrow(/nonce must be 24 bytes, got 3/);
  });
});
