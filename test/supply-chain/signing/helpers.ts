/** Shared test helpers: fresh keys and the real `openssl` CLI for independent checks. */
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function p256(): { privateKey: KeyObject; publicKey: KeyObject; publicPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { privateKey, publicKey, publicPem: String(publicKey.export({ type: 'spki', format: 'pem' })) };
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'lockstep-signing-'));
}

/**
 * Runs openssl and returns stdout. A missing openssl is a test failure with a clear message, never a
 * skip: these tests are the independent check of our signature format.
 */
export function openssl(args: readonly string[], input?: Buffer): string {
  try {
    return execFileSync('openssl', [...args], { input, stdio: ['pipe', 'pipe', 'pipe'] }).toString('utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stdout?: Buffer; stderr?: Buffer };
    if (err.code === 'ENOENT') {
      throw new Error('openssl is required for the interop tests but was not found on PATH; install it (Debian: apt-get install openssl)');
    }
    throw new Error(`openssl ${args.join(' ')} failed: ${err.stdout?.toString() ?? ''}${err.stderr?.toString() ?? ''}`);
  }
}
