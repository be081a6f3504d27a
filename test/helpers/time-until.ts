import { expect, vi } from 'vitest';

/** Waits until `check` holds (vitest's vi.waitFor, asking every 20 ms); fails after `limitMs`. */
export async function eventually(check: () => boolean | Promise<boolean>, limitMs = 3000): Promise<void> {
  await vi.waitFor(async () => expect(await check(), `not seen within ${limitMs} ms`).toBe(true), { timeout: limitMs, interval: 20 });
}

/** Waits until `check` holds; returns how long that took, in ms. Fails after `limitMs`. */
export async function timeUntil(check: () => Promise<boolean>, limitMs = 3000): Promise<number> {
  const started = performance.now();
  await eventually(check, limitMs);
  return performance.now() - started;
}
