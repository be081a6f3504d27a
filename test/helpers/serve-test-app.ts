import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { standingHeadersServerOptions } from '../../src/http/response-headers.js';
import type { TestApp } from './test-app.js';

export interface ServedTestApp {
  base: string;
  close(): Promise<void>;
}

/** The in-process test app on a real port, for a browser to talk to. */
export async function serveTestApp(t: TestApp): Promise<ServedTestApp> {
  const server: ServerType = await new Promise((resolve) => {
    const started = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1', serverOptions: standingHeadersServerOptions }, () => resolve(started));
  });
  const { port } = server.address() as AddressInfo;
  return { base: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
