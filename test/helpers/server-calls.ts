import { expect } from 'vitest';
import type { ServerProcess } from './server-process.js';
import { bodyIf, serverClient } from './typed-client.js';

/**
 * JSON calls to API servers running as processes of their own, with one key: for the tests that
 * watch one server see what another changed. call() and write() take any path, so their bodies are
 * untyped records (these tests read only an id off them); categoryOf() asks through the typed client.
 */
export function serverCalls(headers: () => Record<string, string>) {
  async function call(server: ServerProcess, path: string, init: { method?: string; json?: unknown } = {}) {
    const response = await fetch(`${server.base}${path}`, {
      method: init.method ?? 'GET',
      headers: headers(),
      body: init.json === undefined ? undefined : JSON.stringify(init.json),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  /** A write that must succeed: its body. */
  async function write(server: ServerProcess, path: string, method: string, json: unknown) {
    const { status, body } = await call(server, path, { method, json });
    expect(status, JSON.stringify(body)).toBeLessThan(300);
    return body;
  }

  /** The category's name a server's lookup answers for a number, or undefined when it is not filed. */
  async function categoryOf(server: ServerProcess, number: string) {
    const response = await serverClient(server.base, headers()).v1.lookup[':number'].$get({ param: { number: encodeURIComponent(number) }, query: {} });
    if (response.status !== 200 && response.status !== 404) throw new Error(`lookup answered ${response.status}: ${await response.text()}`);
    return (await bodyIf(response, 200))?.category.name;
  }

  return { call, write, categoryOf };
}
