import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Keys look like `wak_1a2b3c4d_<32 random bytes, base64url>`. The part up to the second underscore
 * is stored and shown (to recognize a key in lists); the whole key is stored only as its SHA-256.
 * A key carries 256 bits of randomness, so a fast hash is enough: there is nothing to brute-force.
 */
const KEY_PATTERN = /^(wak_[0-9a-f]{8})_[A-Za-z0-9_-]{43}$/;

export function generateApiKey(): { key: string; prefix: string; hash: Buffer } {
  const prefix = `wak_${randomBytes(4).toString('hex')}`;
  const key = `${prefix}_${randomBytes(32).toString('base64url')}`;
  return { key, prefix, hash: hashApiKey(key) };
}

export function hashApiKey(key: string): Buffer {
  return createHash('sha256').update(key).digest();
}

/** The prefix of a well-formed key, or null. */
export function apiKeyPrefix(key: string): string | null {
  return KEY_PATTERN.exec(key)?.[1] ?? null;
}

/** Constant-time comparison, so response times say nothing about how much of a key was right. */
export function sameHash(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
