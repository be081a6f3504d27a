import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { guardedLookup, isForbiddenAddress } from './webhook-address.js';

export interface SendOptions {
  allowPrivate: boolean;
  timeoutMs: number;
}

/** What an attempt came to: the receiver's status, or why there was none. */
export type SendOutcome = { status: number } | { error: string };

/** Bytes of a receiver's answer read before the connection is dropped: we keep only its status. */
const MAX_ANSWER_BYTES = 64 * 1024;

/**
 * One POST of a signed body. Node's own http client rather than fetch: its `lookup` hook lets every
 * connection refuse a forbidden address after DNS, and it follows no redirect (a 3XX is a failure, so
 * a receiver cannot send us on to an internal address).
 */
export function postWebhook(target: string, body: string, headers: Record<string, string>, options: SendOptions): Promise<SendOutcome> {
  const url = new URL(target);
  if (!options.allowPrivate) {
    if (url.protocol !== 'https:') return Promise.resolve({ error: 'refused: only https URLs (WEBHOOK_ALLOW_PRIVATE is off)' });
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host) && isForbiddenAddress(host)) return Promise.resolve({ error: `refused: ${host} is a loopback, private or reserved address` });
  }
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    const request = client.request(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'user-agent': 'wa-contact-categories-webhooks/1' },
        timeout: options.timeoutMs,
        ...(options.allowPrivate ? {} : { lookup: guardedLookup }),
      },
      (response) => {
        let read = 0;
        response.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > MAX_ANSWER_BYTES) response.destroy();
        });
        response.on('close', () => resolve({ status: response.statusCode ?? 0 }));
        response.on('error', () => resolve({ status: response.statusCode ?? 0 }));
      },
    );
    request.on('timeout', () => request.destroy(new Error(`no answer within ${options.timeoutMs} ms`)));
    request.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code === 'EFORBIDDEN' ? `refused: ${error.message}` : error.message }));
    request.end(body);
  });
}
