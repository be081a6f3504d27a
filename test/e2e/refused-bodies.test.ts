import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveTestApp, type ServedTestApp } from '../helpers/serve-test-app.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

/**
 * A body we refuse must still reach the client as our answer. Answering before the body is read and
 * then closing the connection made Node's fetch fail with a socket error (19 of 40 tries): these
 * send over a real socket, many times, and want the envelope every time.
 */
let t: TestApp;
let served: ServedTestApp;
const IMPORT_MAX_BYTES = 1024 * 1024;
const TRIES = 40;

beforeAll(async () => {
  t = await createTestApp({ importMaxBytes: IMPORT_MAX_BYTES });
  served = await serveTestApp(t);
});
afterAll(async () => {
  await served.close();
  await t.close();
});

async function send(path: string, body: Uint8Array | ReadableStream<Uint8Array>, contentType: string): Promise<{ status: number; code: string } | { error: string }> {
  try {
    const response = await fetch(`${served.base}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.keys.staff}`, 'content-type': contentType },
      body,
      duplex: 'half',
    } as RequestInit);
    // Deliberately raw requests (oversized, streamed, to unknown routes): only the envelope's code is read.
    const answer = (await response.json()) as { error: { code: string } };
    return { status: response.status, code: answer.error.code };
  } catch (error) {
    return { error: String((error as Error & { cause?: unknown }).cause ?? error) };
  }
}

/** A body without Content-Length: the server learns its size only by reading it. */
function streamed(bytes: Uint8Array): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.subarray(offset, offset + 64 * 1024));
      offset += 64 * 1024;
    },
  });
}

async function everyTry(attempt: () => Promise<{ status: number; code: string } | { error: string }>, tries = TRIES) {
  const outcomes: Array<{ status: number; code: string } | { error: string }> = [];
  for (let i = 0; i < tries; i++) outcomes.push(await attempt());
  return outcomes;
}

describe('refused bodies are answered, not cut off', () => {
  const bigJson = new TextEncoder().encode(JSON.stringify({ numbers: Array.from({ length: 300_000 }, (_, i) => `0812${String(i).padStart(8, '0')}`) }));

  it('when a JSON body over 1 MB is sent, then every try reads 413 PAYLOAD_TOO_LARGE', async () => {
    expect(bigJson.length).toBeGreaterThan(3_000_000);
    const outcomes = await everyTry(() => send('/v1/lookup', bigJson, 'application/json'));
    expect(outcomes.filter((outcome) => !('status' in outcome) || outcome.status !== 413)).toEqual([]);
  });

  it('when a JSON body over 1 MB is streamed without a length, then every try reads 413', async () => {
    const outcomes = await everyTry(() => send('/v1/lookup', streamed(bigJson), 'application/json'));
    expect(outcomes.filter((outcome) => !('status' in outcome) || outcome.status !== 413)).toEqual([]);
  });

  it('when an upload over IMPORT_MAX_BYTES is sent, with or without a length, then every try reads 413', async () => {
    const csv = new TextEncoder().encode(`phone\n${'081234567890\n'.repeat(400_000)}`);
    expect(csv.length).toBeGreaterThan(4 * IMPORT_MAX_BYTES);
    const outcomes = [
      ...(await everyTry(() => send('/v1/imports?category=Prospek', csv, 'text/csv'), TRIES / 2)),
      ...(await everyTry(() => send('/v1/imports?category=Prospek', streamed(csv), 'text/csv'), TRIES / 2)),
    ];
    expect(outcomes.filter((outcome) => !('status' in outcome) || outcome.status !== 413)).toEqual([]);
  }, 120_000);

  it('when a large body goes to a route that does not exist, then every try reads 404', async () => {
    const body = new Uint8Array(530 * 1024).fill(0x61);
    const outcomes = await everyTry(() => send('/v1/nothing-here', body, 'application/json'));
    expect(outcomes.filter((outcome) => !('status' in outcome) || outcome.status !== 404)).toEqual([]);
  });

  it('when the body is refused, then the server still answers the next request at once', async () => {
    await send('/v1/lookup', bigJson, 'application/json');
    const health = await fetch(`${served.base}/health`);
    expect(health.status).toBe(200);
  });
});
