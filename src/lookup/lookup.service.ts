import type { ServiceContext } from '../context.js';
import { queryRows, type Queryable } from '../db/query.js';
import { NotFoundError } from '../errors.js';
import { requireValidNumber } from '../normalize/normalize.service.js';
import { normalizePhoneNumber } from '../phone/normalize-phone-number.js';
import { LookupBatcher } from './lookup-batcher.js';
import type { BatchLookupResult, LookupResult } from './lookup.schemas.js';

interface FiledRow {
  id: number;
  normalized_number: string;
  category_id: number;
  category_name: string;
  name: string | null;
}

async function queryFiled(db: Queryable, normalized: string[]): Promise<Map<string, FiledRow>> {
  const rows = await queryRows<FiledRow>(
    db,
    `SELECT p.id, p.normalized_number, p.category_id, c.name AS category_name, p.name
     FROM phone_numbers p JOIN categories c ON c.id = p.category_id
     WHERE p.normalized_number = ANY($1::varchar[])`,
    [normalized],
  );
  return new Map(rows.map((row) => [row.normalized_number, row]));
}

const batchers = new WeakMap<ServiceContext['sequelize'], LookupBatcher<FiledRow>>();

/** One batcher per database handle, made on first use. */
function batcherFor(sequelize: ServiceContext['sequelize']): LookupBatcher<FiledRow> {
  let batcher = batchers.get(sequelize);
  if (!batcher) {
    batcher = new LookupBatcher((numbers) => queryFiled({ sequelize }, numbers));
    batchers.set(sequelize, batcher);
  }
  return batcher;
}

/**
 * Filings from the database. Outside a transaction, through the database handle's batcher, so
 * concurrent lookups share round trips; inside one, directly, to see the transaction's own rows.
 */
function readFiled(ctx: ServiceContext, normalized: string[]): Promise<Map<string, FiledRow>> {
  if (ctx.transaction) return queryFiled(ctx, normalized);
  const batcher = batcherFor(ctx.sequelize);
  return Promise.all(normalized.map((number) => batcher.find(number))).then(
    (rows) => new Map(rows.flatMap((row) => (row ? [[row.normalized_number, row] as const] : []))),
  );
}

/** Filings of these numbers: from the process's cache where it has them, the rest from the database. */
async function findFiled(ctx: ServiceContext, normalized: string[]): Promise<Map<string, FiledRow>> {
  const cache = ctx.lookupCache;
  if (!cache) return readFiled(ctx, normalized);
  const found = new Map<string, FiledRow>();
  const missing: string[] = [];
  for (const number of normalized) {
    const cached = cache.get(number);
    if (cached === undefined) missing.push(number);
    else if (cached !== null) found.set(number, { ...cached, normalized_number: number });
  }
  if (missing.length === 0) return found;
  const snapshot = cache.snapshot();
  const queried = await readFiled(ctx, missing);
  for (const number of missing) {
    const row = queried.get(number);
    cache.set(number, row ? { id: row.id, category_id: row.category_id, category_name: row.category_name, name: row.name } : null, snapshot);
    if (row) found.set(number, row);
  }
  return found;
}

/** "Which category is this sender in?" for any form a bot has: JID, +62…, 08…. */
export async function lookupNumber(ctx: ServiceContext, input: string): Promise<LookupResult> {
  const { e164 } = requireValidNumber(ctx, input);
  const filed = (await findFiled(ctx, [e164])).get(e164);
  if (!filed) throw new NotFoundError(`Phone number ${e164} is not filed`, { normalized_number: e164 });
  return {
    normalized_number: e164,
    category: { id: filed.category_id, name: filed.category_name },
    phone_number_id: filed.id,
    name: filed.name,
  };
}

/** Many numbers, one round trip, answers in input order; invalid inputs are answered, not fatal. */
export async function lookupNumbers(ctx: ServiceContext, inputs: string[]): Promise<BatchLookupResult> {
  const normalized = inputs.map((input) => normalizePhoneNumber(input, { defaultRegion: ctx.defaultRegion }));
  const wanted = [...new Set(normalized.flatMap((result) => (result.valid ? [result.e164] : [])))];
  const filed = wanted.length > 0 ? await findFiled(ctx, wanted) : new Map<string, FiledRow>();
  return {
    results: inputs.map((input, index) => {
      const result = normalized[index]!;
      const row = result.valid ? filed.get(result.e164) : undefined;
      return {
        input,
        normalized_number: result.e164,
        valid: result.valid,
        reason: result.reason,
        category: row ? { id: row.category_id, name: row.category_name } : null,
        phone_number_id: row?.id ?? null,
        name: row?.name ?? null,
      };
    }),
  };
}
