import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

/**
 * Secrets in the Standard Webhooks form: `whsec_` and the base64 of 24 to 64 random bytes; the bytes
 * are the HMAC key. A receiver's library (standardwebhooks, svix) takes the string as it is.
 */
export const WEBHOOK_SECRET_PATTERN = /^whsec_[A-Za-z0-9+/]{32,88}={0,2}$/;

export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

function secretKeyBytes(secret: string): Buffer {
  return Buffer.from(secret.slice('whsec_'.length), 'base64');
}

/**
 * The `webhook-signature` header: `v1,` and the base64 HMAC-SHA256 of `{id}.{timestamp}.{body}`.
 * The timestamp (seconds) is signed, so a receiver that refuses old timestamps refuses replays.
 */
export function signWebhook(secret: string, eventId: string, timestampSeconds: number, body: string): string {
  const mac = createHmac('sha256', secretKeyBytes(secret)).update(`${eventId}.${timestampSeconds}.${body}`).digest('base64');
  return `v1,${mac}`;
}

/*
 * Stored sealed, not hashed: the server must sign with the secret itself, so a hash would not do.
 * AES-256-GCM under the server's webhook key (WEBHOOK_SECRET_KEY, or a key kept in DATA_DIR), so a
 * copy of the database (a backup, a replica, a dump for support) does not let anyone sign events.
 */
const IV_BYTES = 12;
const TAG_BYTES = 16;

export function sealSecret(key: Buffer, secret: string): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), ciphertext]);
}

export function openSecret(key: Buffer, sealed: Buffer): string {
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES));
  decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
}
