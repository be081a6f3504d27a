import { testClient } from 'hono/testing';
import { hc, type ClientResponse } from 'hono/client';
import { expect } from 'vitest';
import type { App } from '../../src/app.js';
import type { Role } from '../../src/auth/roles.js';
import type { TestApp } from './test-app.js';

/**
 * The app through hono/testing's typed client, with one role's key (admin by default, null for
 * none): paths, inputs and each status's body are the routes' own zod types, so a test needs no
 * cast to read an answer.
 */
export function clientAs(t: TestApp, as: Role | null = 'admin') {
  return testClient(t.app, undefined, undefined, { headers: as ? { authorization: `Bearer ${t.keys[as]}` } : {} });
}

/** The same typed client over HTTP, for a server on a socket (a process of its own, a browser test's server). */
export function serverClient(base: string, headers: Record<string, string> = {}) {
  return hc<App>(base, { headers });
}

type AnyClientResponse = ClientResponse<unknown, number, 'json' | 'text' | 'body'>;
/** What a typed response's json() resolves to for one of its statuses. */
export type BodyOf<R, S extends number> = R extends ClientResponse<infer T, S, 'json'> ? T : never;

/** Expects the status, and answers the body the route declares for it. */
export async function bodyOf<R extends AnyClientResponse, S extends R['status']>(response: R | Promise<R>, status: S): Promise<BodyOf<R, S>> {
  const answered = await response;
  if (answered.status !== status) expect(`${answered.status} ${await answered.text()}`).toBe(`${status}`);
  // The status is the one asked for, so json() is that status's body (TypeScript cannot narrow a union by a generic status).
  return (await answered.json()) as BodyOf<R, S>;
}

/** The body the route declares for that status, or undefined when the answer has another (for polls). */
export async function bodyIf<R extends AnyClientResponse, S extends R['status']>(response: R | Promise<R>, status: S): Promise<BodyOf<R, S> | undefined> {
  const answered = await response;
  if (answered.status !== status) return undefined;
  // As in bodyOf: the status was compared just above.
  return (await answered.json()) as BodyOf<R, S>;
}
