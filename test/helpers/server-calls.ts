import { expect } from 'vitest';
import type { ServerProcess } from './server-process.js';

/**
 * JSON calls to API servers running as processes of their own, with one key: for the tests that
 * watch one server see what another changed. Bodies are untyped here (a cast, not a typed client):
 * these tests read only an id or a category's name off them.
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
    const { status, body } = await call(server, `/v1/lookup/${encodeURIComponent(number)}`);
    if (status !== 200 && status !== 404) throw new Error(`lookup answered ${status}: ${JSON.stringify(body)}`);
    return (body.category as { name: string } | undefined)?.name;
  }

  return { call, write, categoryOf };
}
