import { findCategoryIdsByNamePattern } from '../categories/categories.repository.js';
import { resolveCategory } from '../categories/categories.service.js';
import type { ServiceContext } from '../context.js';
import { recordAudit, recordBulkRead } from '../audit/audit.repository.js';
import { inTransaction } from '../db/query.js';
import { readFromReplica } from '../db/read-db.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import { MAX_ROW_ID } from '../http/common.schemas.js';
import { requireValidNumber } from '../normalize/normalize.service.js';
import {
  deletePhoneNumberRow,
  findPhoneNumberById,
  findPhoneNumberByNormalized,
  findPhoneNumberPage,
  insertPhoneNumberIfNew,
  lockPhoneNumber,
  updatePhoneNumberRow,
} from './phone-numbers.repository.js';
import type {
  FilePhoneNumberInput,
  ListPhoneNumbersQuery,
  MovePhoneNumberInput,
  PhoneNumber,
  PhoneNumberDetail,
} from './phone-numbers.schemas.js';
import { identitiesOfNumber, resolveIdentities } from '../identities/identities.service.js';
import { readSenderIdentity } from '../phone/sender-identity.js';
import { searchTerms } from './search-terms.js';
import { recordWebhookEvent } from '../webhooks/webhook-outbox.repository.js';

export async function getPhoneNumber(ctx: ServiceContext, id: number): Promise<PhoneNumber> {
  const phoneNumber = await findPhoneNumberById(ctx, id);
  if (!phoneNumber) throw new NotFoundError(`Phone number ${id} does not exist`, { phone_number_id: id });
  return phoneNumber;
}

/** One number with the ids bots have paired with it. */
export async function getPhoneNumberDetail(ctx: ServiceContext, id: number): Promise<PhoneNumberDetail> {
  const phoneNumber = await getPhoneNumber(ctx, id);
  return { ...phoneNumber, identities: await identitiesOfNumber(ctx, phoneNumber.normalized_number) };
}

/**
 * Files a number once, however it is written. A number already filed is a conflict that carries the
 * existing record, so the caller can see where it is instead of guessing.
 */
export async function filePhoneNumber(ctx: ServiceContext, input: FilePhoneNumberInput): Promise<PhoneNumber> {
  const { e164, type } = requireValidNumber(ctx, input.number);
  const category = await resolveCategory(ctx, input);
  const inserted = await inTransaction(ctx, async (tx) => {
    const id = await insertPhoneNumberIfNew(tx, { original: input.number, normalized: e164, categoryId: category.id, type, name: input.name ?? null });
    if (id !== null) {
      await recordAudit(tx, ctx.actor, { action: 'phone_number.file', entityType: 'phone_number', entityId: id, newValue: { category_id: category.id, normalized_number: e164, name: input.name ?? null } });
      await recordWebhookEvent(tx, {
        type: 'phone_number.filed',
        orderingKey: e164,
        data: { phone_number_id: id, normalized_number: e164, name: input.name ?? null, category: { id: category.id, name: category.name } },
      });
    }
    return id;
  });
  if (inserted === null) {
    const existing = await findPhoneNumberByNormalized(ctx, e164);
    throw new ConflictError(`Phone number ${e164} is already filed in "${existing?.category.name}"`, { existing });
  }
  return getPhoneNumber(ctx, inserted);
}

/** Moves a number to another category and/or renames its contact (PATCH). */
export async function movePhoneNumber(ctx: ServiceContext, id: number, input: MovePhoneNumberInput): Promise<PhoneNumber> {
  const category = input.category_id !== undefined || input.category !== undefined ? await resolveCategory(ctx, input) : null;
  return inTransaction(ctx, async (tx) => {
    const before = await lockPhoneNumber(tx, id);
    if (!before) throw new NotFoundError(`Phone number ${id} does not exist`, { phone_number_id: id });
    if (input.name !== undefined && input.name !== before.name) {
      await updatePhoneNumberRow(tx, id, { name: input.name });
      await recordAudit(tx, ctx.actor, { action: 'phone_number.rename', entityType: 'phone_number', entityId: id, oldValue: { name: before.name }, newValue: { name: input.name } });
    }
    if (category && before.category_id !== category.id) {
      await updatePhoneNumberRow(tx, id, { category_id: category.id });
      await recordAudit(tx, ctx.actor, {
        action: 'phone_number.move',
        entityType: 'phone_number',
        entityId: id,
        oldValue: { category_id: before.category_id },
        newValue: { category_id: category.id },
      });
      await recordWebhookEvent(tx, {
        type: 'phone_number.moved',
        orderingKey: before.normalized_number,
        data: {
          phone_number_id: id,
          normalized_number: before.normalized_number,
          name: input.name !== undefined ? input.name : before.name,
          from_category: { id: before.category_id, name: before.category_name },
          to_category: { id: category.id, name: category.name },
        },
      });
    }
    return getPhoneNumber(tx, id);
  });
}

export async function deletePhoneNumber(ctx: ServiceContext, id: number): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    const deleted = await deletePhoneNumberRow(tx, id);
    if (!deleted) throw new NotFoundError(`Phone number ${id} does not exist`, { phone_number_id: id });
    await recordAudit(tx, ctx.actor, { action: 'phone_number.delete', entityType: 'phone_number', entityId: id, oldValue: deleted });
    await recordWebhookEvent(tx, {
      type: 'phone_number.deleted',
      orderingKey: deleted.normalized_number,
      data: { phone_number_id: id, normalized_number: deleted.normalized_number, category_id: deleted.category_id },
    });
  });
}

/**
 * Newest first, page by page. With a search, a query that is itself a number finds that number
 * first (on the first page), then everything else that matches.
 */
export async function listPhoneNumbers(
  ctx: ServiceContext,
  query: ListPhoneNumbersQuery,
): Promise<{ items: PhoneNumber[]; next_cursor: string | null }> {
  const page = await readFromReplica(ctx, (db) => findListPage(db, query));
  const asked = { search: query.search ?? null, category_id: query.category_id ?? null, cursor: query.cursor ?? null };
  await recordBulkRead(ctx, ctx.actor, 'phone_number.list', asked, page.items.length);
  return page;
}

async function findListPage(ctx: ServiceContext, query: ListPhoneNumbersQuery): Promise<{ items: PhoneNumber[]; next_cursor: string | null }> {
  const afterId = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
  const terms = query.search ? searchTerms(query.search, ctx.defaultRegion) : null;
  // A LID or BSUID typed in the search box finds the number it is paired with, first.
  const identity = query.search ? readSenderIdentity(query.search) : null;
  if (terms && identity) terms.exact = (await resolveIdentities(ctx, [identity.id])).get(identity.id) ?? terms.exact;
  // The exact number and the matching categories do not depend on each other: one round trip's wait.
  const [exact, categoryIds] = terms
    ? await Promise.all([
        terms.exact ? findPhoneNumberByNormalized(ctx, terms.exact) : null,
        findCategoryIdsByNamePattern(ctx, terms.categoryPattern),
      ])
    : [null, []];
  const exactFirst = exact && (query.category_id === undefined || exact.category.id === query.category_id) ? exact : null;
  // One row more than asked tells whether another page exists without a count(*).
  const rows = await findPhoneNumberPage(ctx, {
    search: terms
      ? { numberPatterns: terms.numberPatterns, normalizedPrefix: terms.normalizedPrefix, namePattern: terms.namePattern, narrow: terms.narrow, categoryIds }
      : undefined,
    categoryId: query.category_id,
    excludeNormalized: exactFirst?.normalized_number,
    afterId,
    limit: query.limit + 1,
    timeoutMs: ctx.searchTimeoutMs,
  });
  const items = rows.slice(0, query.limit);
  const last = items[items.length - 1];
  const nextCursor = rows.length > query.limit && last ? encodeCursor(last.id) : null;
  if (exactFirst && query.cursor === undefined) {
    // The exact match takes the first place; the row it pushes off this page starts the next.
    const shown = [exactFirst, ...items];
    if (shown.length <= query.limit) return { items: shown, next_cursor: nextCursor };
    const kept = shown.slice(0, query.limit);
    return { items: kept, next_cursor: encodeCursor(kept[kept.length - 1]!.id) };
  }
  return { items, next_cursor: nextCursor };
}

function encodeCursor(id: number): string {
  return Buffer.from(`id:${id}`).toString('base64url');
}

function decodeCursor(cursor: string): number {
  const match = /^id:(\d{1,10})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match?.[1] || Number(match[1]) > MAX_ROW_ID) throw new ValidationError('cursor is not one this API returned', { cursor });
  return Number(match[1]);
}
