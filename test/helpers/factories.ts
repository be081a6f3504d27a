import { expect } from 'vitest';
import type { TestApp } from './test-app.js';

let sequence = 0;

/** A valid Indonesian mobile number no other test in this file uses. */
export function uniqueMobile(): string {
  sequence += 1;
  const suffix = String(Date.now() % 1_000_000).padStart(6, '0') + String(sequence).padStart(3, '0');
  return `0812${suffix.slice(-8)}`;
}

export async function makeCategory(t: TestApp, name = `Category ${Math.random().toString(36).slice(2, 8)}`) {
  const response = await t.request('/v1/categories', { method: 'POST', json: { name } });
  expect(response.status).toBe(201);
  return (await response.json()) as { id: number; name: string };
}

export async function fileNumber(t: TestApp, number: string, categoryId: number) {
  const response = await t.request('/v1/phone-numbers', { method: 'POST', json: { number, category_id: categoryId } });
  expect(response.status).toBe(201);
  return (await response.json()) as { id: number; normalized_number: string; category: { id: number; name: string } };
}
