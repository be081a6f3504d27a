// Verifying a webhook from the WhatsApp contact categories API (Standard Webhooks signatures), with
// nothing but node:crypto. Copy it into your receiver; README "Webhooks" explains the headers.
import { createHmac, timingSafeEqual } from 'node:crypto';

// secret: the whsec_… string POST /v1/webhooks answered; rawBody: the body exactly as received.
export function verifyWebhook(secret, headers, rawBody, toleranceSeconds = 300) {
  const id = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  if (!id || !timestamp || Math.abs(Date.now() / 1000 - Number(timestamp)) > toleranceSeconds) return false;
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${rawBody}`).digest();
  return String(headers['webhook-signature'] ?? '').split(' ').some((entry) => {
    const [version, value = ''] = entry.split(',');
    const given = Buffer.from(value, 'base64');
    return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
  });
}
