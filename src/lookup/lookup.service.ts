import type { ServiceContext } from '../context.js';
import { readFromReplica } from '../db/read-db.js';
import { InvalidNumberError, NotFoundError } from '../errors.js';
import { rememberSeenPairs, resolveIdentities, UnresolvedIdentityError } from '../identities/identities.service.js';
import type { IdentityPair } from '../identities/identities.repository.js';
import { normalizePhoneNumber } from '../phone/normalize-phone-number.js';
import type { RejectionReason } from '../phone/rejection-reason.js';
import { readSenderIdentity, type IdentityKind, type SenderIdentity } from '../phone/sender-identity.js';
import { LookupBatcher } from './lookup-batcher.js';
import { queryFiled, queryFiledPrepared, queryFiledWithIds, type FiledRow } from './lookup.repository.js';
import type { BatchLookupResult, LookupResult } from './lookup.schemas.js';
import type { CachedFiling } from './lookup-cache.js';

/** What the cache keeps of a row: the filing, without the number it is keyed by. */
function filingOf(row: FiledRow): CachedFiling {
  return { id: row.id, category_id: row.category_id, category_name: row.category_name, name: row.name };
}

/**
 * Ids and numbers of one batch: from the cache where it has them; everything it lacks in one
 * statement; what was read is cached as of before the read (a change notified meanwhile wins).
 */
async function findFiledAndIds(ctx: ServiceContext, numbers: string[], ids: string[]): Promise<{ filed: Map<string, FiledRow>; ids: Map<string, string> }> {
  const cache = ctx.lookupCache;
  const paired = new Map<string, string>();
  const unknownIds: string[] = [];
  for (const id of ids) {
    const cached = cache?.getIdentity(id);
    if (cached === undefined) unknownIds.push(id);
    else if (cached !== null) paired.set(id, cached);
  }
  const known = [...new Set([...numbers, ...paired.values()])];
  if (unknownIds.length === 0) return { filed: await findFiled(ctx, known), ids: paired };

  const filed = new Map<string, FiledRow>();
  const missing: string[] = [];
  for (const number of known) {
    const cached = cache?.get(number);
    if (cached === undefined) missing.push(number);
    else if (cached !== null) filed.set(number, { ...cached, normalized_number: number });
  }
  const snapshot = cache?.snapshot() ?? 0;
  const read = await readFromReplica(ctx, (db) => queryFiledWithIds(db, missing, unknownIds));
  for (const id of unknownIds) {
    const number = read.ids.get(id) ?? null;
    cache?.setIdentity(id, number, snapshot);
    if (number) paired.set(id, number);
  }
  for (const number of new Set([...missing, ...read.ids.values()])) {
    const row = read.filed.get(number);
    cache?.set(number, row ? filingOf(row) : null, snapshot);
    if (row) filed.set(number, row);
  }
  return { filed, ids: paired };
}

const batchers = new WeakMap<ServiceContext['sequelize'], LookupBatcher<FiledRow>>();

/** One batcher per database handle, made on first use. */
function batcherFor(sequelize: ServiceContext['sequelize']): LookupBatcher<FiledRow> {
  let batcher = batchers.get(sequelize);
  if (!batcher) {
    batcher = new LookupBatcher((numbers) => queryFiledPrepared(sequelize, numbers));
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
  if (!cache) return readFromReplica(ctx, (db) => readFiled(db, normalized));
  const found = new Map<string, FiledRow>();
  const missing: string[] = [];
  for (const number of normalized) {
    const cached = cache.get(number);
    if (cached === undefined) missing.push(number);
    else if (cached !== null) found.set(number, { ...cached, normalized_number: number });
  }
  if (missing.length === 0) return found;
  const snapshot = cache.snapshot();
  const queried = await readFromReplica(ctx, (db) => readFiled(db, missing));
  for (const number of missing) {
    const row = queried.get(number);
    cache.set(number, row ? filingOf(row) : null, snapshot);
    if (row) found.set(number, row);
  }
  return found;
}

/**
 * One number's filing, as findFiled([number]) would give it, without the maps and arrays a batch
 * needs: a bot's single lookup is the hottest path there is.
 */
async function findFiledOne(ctx: ServiceContext, number: string): Promise<CachedFiling | undefined> {
  const cache = ctx.lookupCache;
  const cached = cache?.get(number);
  if (cached !== undefined) return cached ?? undefined;
  const snapshot = cache?.snapshot() ?? 0;
  const row = await readFromReplica(ctx, (db) => (db.transaction ? queryFiled(db, [number]).then((rows) => rows.get(number)) : batcherFor(db.sequelize).find(number)));
  const filing = row ? filingOf(row) : null;
  cache?.set(number, filing, snapshot);
  return filing ?? undefined;
}

export type ResolvedFrom = 'phone' | IdentityKind;

/** What a bot passed for one sender: its id (any phone form, a LID, a BSUID) and maybe the other form it saw. */
export interface SenderInput {
  id: string;
  alt?: string | undefined;
}

type ReadSender =
  | { kind: 'phone'; e164: string }
  | { kind: 'identity'; identity: SenderIdentity }
  | { kind: 'invalid'; reason: RejectionReason };

/** Ends like a LID (`…@lid`, `…@hosted.lid`) or starts like a BSUID (`ID.…`): read as an id first. */
const LOOKS_LIKE_IDENTITY = /lid\s*$|^\s*[A-Za-z]{2}\./i;

function readSender(ctx: ServiceContext, text: string): ReadSender {
  if (LOOKS_LIKE_IDENTITY.test(text)) {
    const identity = readSenderIdentity(text);
    if (identity) return { kind: 'identity', identity };
  }
  const number = normalizePhoneNumber(text, { defaultRegion: ctx.defaultRegion });
  if (number.valid) return { kind: 'phone', e164: number.e164 };
  return { kind: 'invalid', reason: number.reason };
}

/** The pair a sender and its `alt` make, whichever way round the bot gave them (Baileys v7 does both). */
function pairOf(ctx: ServiceContext, sender: ReadSender, alt: string | undefined): IdentityPair | null {
  if (alt === undefined) return null;
  const other = readSender(ctx, alt);
  if (sender.kind === 'identity' && other.kind === 'phone') {
    return { id: sender.identity.id, kind: sender.identity.kind, normalized: other.e164 };
  }
  if (sender.kind === 'phone' && other.kind === 'identity') {
    return { id: other.identity.id, kind: other.identity.kind, normalized: sender.e164 };
  }
  return null;
}

/** "Which category is this sender in?" for any form a bot has: JID, +62…, 08…, a LID, a BSUID. */
export async function lookupNumber(ctx: ServiceContext, input: string, alt?: string): Promise<LookupResult> {
  const sender = readSender(ctx, input);
  if (sender.kind === 'invalid') throw new InvalidNumberError(input, sender.reason);
  const pair = pairOf(ctx, sender, alt);
  if (pair) await rememberSeenPairs(ctx, [pair]);
  let e164: string;
  let resolvedFrom: ResolvedFrom = 'phone';
  if (sender.kind === 'phone') e164 = sender.e164;
  else {
    resolvedFrom = sender.identity.kind;
    // A cached id is answered without another await: a LID hit costs what a number hit costs.
    const cached = pair ? pair.normalized : ctx.lookupCache?.getIdentity(sender.identity.id);
    const known = cached !== undefined ? cached : (await resolveIdentities(ctx, [sender.identity.id])).get(sender.identity.id);
    if (!known) throw new UnresolvedIdentityError(sender.identity);
    e164 = known;
  }
  const filed = await findFiledOne(ctx, e164);
  if (!filed) throw new NotFoundError(`Phone number ${e164} is not filed`, { normalized_number: e164, resolved_from: resolvedFrom });
  return {
    normalized_number: e164,
    category: { id: filed.category_id, name: filed.category_name },
    phone_number_id: filed.id,
    resolved_from: resolvedFrom,
    name: filed.name,
  };
}

/**
 * Many senders, answers in input order; invalid inputs are answered, not fatal. Pairs the items
 * carry are remembered first (one statement), then ids and numbers are answered from the cache or,
 * for all it lacks together, one query.
 */
export async function lookupNumbers(ctx: ServiceContext, inputs: Array<string | SenderInput>): Promise<BatchLookupResult> {
  const senders = inputs.map((item) => (typeof item === 'string' ? { id: item, alt: undefined } : item));
  const read = senders.map((sender) => readSender(ctx, sender.id));
  const pairs = senders.flatMap((sender, index) => pairOf(ctx, read[index]!, sender.alt) ?? []);
  if (pairs.length > 0) await rememberSeenPairs(ctx, pairs);
  const taught = new Map(pairs.map((pair) => [pair.id, pair.normalized]));
  const ids = [...new Set(read.flatMap((r) => (r.kind === 'identity' && !taught.has(r.identity.id) ? [r.identity.id] : [])))];
  const numbers = [...new Set([...read.flatMap((r) => (r.kind === 'phone' ? [r.e164] : [])), ...taught.values()])];
  const found = numbers.length + ids.length > 0 ? await findFiledAndIds(ctx, numbers, ids) : { filed: new Map<string, FiledRow>(), ids: new Map<string, string>() };
  const resolved = found.ids;
  for (const [id, number] of taught) resolved.set(id, number);
  const numberOf = (r: ReadSender): string | null =>
    r.kind === 'phone' ? r.e164 : r.kind === 'identity' ? (resolved.get(r.identity.id) ?? null) : null;
  const filed = found.filed;
  return {
    results: senders.map((sender, index) => {
      const r = read[index]!;
      const number = numberOf(r);
      const row = number ? filed.get(number) : undefined;
      const reason = r.kind === 'invalid' ? r.reason : r.kind === 'identity' && !number ? 'UNRESOLVED_IDENTITY' : null;
      return {
        input: sender.id,
        normalized_number: number,
        valid: r.kind === 'phone',
        reason,
        resolved_from: r.kind === 'phone' ? 'phone' : r.kind === 'identity' ? r.identity.kind : null,
        category: row ? { id: row.category_id, name: row.category_name } : null,
        phone_number_id: row?.id ?? null,
        name: row?.name ?? null,
      };
    }),
  };
}
