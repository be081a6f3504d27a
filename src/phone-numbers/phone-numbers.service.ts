import { resolveCategory } from '../categories/categories.service.js';
import type { ServiceContext } from '../context.js';
import { execute, mutateRows } from '../db/query.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import { requireValidNumber } from '../normalize/normalize.service.js';
import {
  findPhoneNumberById,
  findPhoneNumberByNormalized,
  findPhoneNumberPage,
} from './phone-numbers.repository.js';
import type {
  FilePhoneNumberInput,
  ListPhoneNumbersQuery,
  MovePhoneNumberInput,
  PhoneNumber,
} from './phone-numbers.schemas.js';

export async function getPhoneNumber(ctx: ServiceContext, id: number): Promise<PhoneNumber> {
  const phoneNumber = await findPhoneNumberById(ctx, id);
  if (!phoneNumber) throw new NotFoundError(`Phone number ${id} does not exist`, { phone_number_id: id });
  return phoneNumber;
}

/**
 * Files a number once, however it is written. A number already filed is a conflict that carries the
 * existing record, so the caller can see where it is instead of guessing.
 */
export async function filePhoneNumber(ctx: ServiceContext, input: FilePhoneNumberInput): Promise<PhoneNumber> {
  const { e164, type } = requireValidNumber(ctx, input.number);
  const category = await resolveCategory(ctx, input);
  const [inserted] = await mutateRows<{ id: number }>(
    ctx,
    `INSERT INTO phone_numbers (original_number, normalized_number, category_id, number_type)
     VALUES ($1, $2, $3, $4)
     ON CONFLICT (normalized_number) DO NOTHING RETURNING id`,
    [input.number, e164, category.id, type],
  );
  if (!inserted) {
    const existing = await findPhoneNumberByNormalized(ctx, e164);
    throw new ConflictError(`Phone number ${e164} is already filed in "${existing?.category.name}"`, { existing });
  }
  return getPhoneNumber(ctx, inserted.id);
}

export async function movePhoneNumber(ctx: ServiceContext, id: number, input: MovePhoneNumberInput): Promise<PhoneNumber> {
  const category = await resolveCategory(ctx, input);
  const moved = await execute(ctx, 'UPDATE phone_numbers SET category_id = $2 WHERE id = $1', [id, category.id]);
  if (moved === 0) throw new NotFoundError(`Phone number ${id} does not exist`, { phone_number_id: id });
  return getPhoneNumber(ctx, id);
}

export async function deletePhoneNumber(ctx: ServiceContext, id: number): Promise<void> {
  const deleted = await execute(ctx, 'DELETE FROM phone_numbers WHERE id = $1', [id]);
  if (deleted === 0) throw new NotFoundError(`Phone number ${id} does not exist`, { phone_number_id: id });
}

export async function listPhoneNumbers(
  ctx: ServiceContext,
  query: ListPhoneNumbersQuery,
): Promise<{ items: PhoneNumber[]; next_cursor: string | null }> {
  // One row more than asked tells whether another page exists without a count(*).
  const rows = await findPhoneNumberPage(ctx, {
    search: query.search,
    categoryId: query.category_id,
    afterId: query.cursor === undefined ? undefined : decodeCursor(query.cursor),
    limit: query.limit + 1,
  });
  const items = rows.slice(0, query.limit);
  const last = items[items.length - 1];
  return { items, next_cursor: rows.length > query.limit && last ? encodeCursor(last.id) : null };
}

function encodeCursor(id: number): string {
  return Buffer.from(`id:${id}`).toString('base64url');
}

function decodeCursor(cursor: string): number {
  const match = /^id:(\d{1,16})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match?.[1]) throw new ValidationError('cursor is not one this API returned', { cursor });
  return Number(match[1]);
}
