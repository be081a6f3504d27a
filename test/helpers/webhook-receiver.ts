import { Webhook } from 'standardwebhooks';
// @ts-expect-error: a plain JavaScript example without types, tested as bot authors would copy it
import { verifyWebhook } from '../../examples/verify-webhook.mjs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
  /** When it arrived (ms since epoch). */
  at: number;
  /** What the receiver answered. */
  status: number;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  /** The parsed bodies the receiver accepted (2XX), in arrival order. */
  accepted(): Array<{ type: string; timestamp: string; data: Record<string, unknown> }>;
  close(): Promise<void>;
}

/**
 * A real HTTP endpoint on 127.0.0.1, as a CRM's would be. `answer` picks each request's status (by
 * default 204); `hang` makes it never answer, as a stuck receiver does.
 */
export async function startWebhookReceiver(options: { answer?: (attempt: number) => number; hang?: boolean } = {}): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const status = options.answer?.(received.length + 1) ?? 204;
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now(), status });
      if (options.hang) return;
      response.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    accepted: () => received.filter((r) => r.status < 300).map((r) => JSON.parse(r.body) as { type: string; timestamp: string; data: Record<string, unknown> }),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Whether a delivery's signature is valid, asked of two verifiers we did not write for the server:
 * the Standard Webhooks reference library (standardwebhooks) and the README's node:crypto snippet
 * (examples/verify-webhook.mjs). Both must accept it.
 */
export function hasValidSignature(secret: string, received: Pick<ReceivedWebhook, 'headers' | 'body'>): boolean {
  const headers = Object.fromEntries(Object.entries(received.headers).map(([name, value]) => [name, String(value)]));
  let reference = true;
  try {
    new Webhook(secret).verify(received.body, headers);
  } catch {
    reference = false;
  }
  return reference && verifyWebhook(secret, headers, received.body);
}
