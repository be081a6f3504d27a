import type { TestApp } from './test-app.js';
import { bodyOf, clientAs } from './typed-client.js';

let sequence = 0;

/** A valid Indonesian mobile number no other test in this file uses. */
export function uniqueMobile(): string {
  sequence += 1;
  const suffix = String(Date.now() % 1_000_000).padStart(6, '0') + String(sequence).padStart(3, '0');
  return `0812${suffix.slice(-8)}`;
}

/** The E.164 form a national 0… number is filed as, however it is punctuated. */
export function e164(national: string): string {
  return `+62${national.replace(/\D/g, '').slice(1)}`;
}

/** A national number as people type it in a sheet: 0812-3456-7890 (or with another separator). */
export function dashed(national: string, separator = '-'): string {
  return [national.slice(0, 4), national.slice(4, 8), national.slice(8)].join(separator);
}

/** The same number written internationally with spaces: +62 812 3456 7890. */
export function international(national: string): string {
  return `+62 ${national.slice(1, 4)} ${national.slice(4, 8)} ${national.slice(8)}`;
}

export async function makeCategory(t: TestApp, name = `Category ${Math.random().toString(36).slice(2, 8)}`) {
  return bodyOf(clientAs(t).v1.categories.$post({ json: { name } }), 201);
}

export async function fileNumber(t: TestApp, number: string, categoryId: number) {
  return bodyOf(clientAs(t).v1['phone-numbers'].$post({ json: { number, category_id: categoryId } }), 201);
}
