import type { Client } from 'openapi-fetch';
import type { components, operations, paths } from './schema.js';

export type { components, operations, paths };

export interface WaClientOptions {
  /** Where the API is, e.g. http://localhost:3000 (no /v1: paths carry it). */
  baseUrl: string;
  /** Sent as `Authorization: Bearer <key>`; omit it for /health alone. */
  apiKey?: string;
  /** Another fetch (a test's in-process app, a proxy-aware fetch); the global one by default. */
  fetch?: (request: Request) => Promise<Response>;
}

/**
 * An openapi-fetch client typed by the API's document:
 * `const { data, error } = await client.GET('/v1/lookup/{number}', { params: { path: { number } } })`.
 * `data` is the 2XX body, `error` the error envelope; neither throws on a 4XX or 5XX.
 */
export function createWaClient(options: WaClientOptions): Client<paths>;
