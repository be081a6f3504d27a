import type { ServiceContext } from '../context.js';
import { recordAudit } from '../audit/audit.repository.js';
import { inTransaction } from '../db/query.js';
import { readFromReplica } from '../db/read-db.js';
import { AppError, NotFoundError } from '../errors.js';
import { LookupBatcher } from '../lookup/lookup-batcher.js';
import { normalizePhoneNumber } from '../phone/normalize-phone-number.js';
import { readSenderIdentity, type IdentityKind, type SenderIdentity } from '../phone/sender-identity.js';
import {
  deleteIdentity,
  findIdentitiesOfNumber,
  findIdentity,
  findNumbersOfIdentities,
  upsertIdentities,
  type IdentityPair,
} from './identities.repository.js';

export const MAX_IDENTITY_PAIRS = 10_000;

export type PairRejection = 'NOT_AN_IDENTITY' | 'NOT_A_PHONE_NUMBER';

export interface Identity {
  id: string;
  kind: IdentityKind;
  normalized_number: string;
  first_seen_at: string;
  last_seen_at: string;
}

/** An identity the bot passed that no pair has taught us yet: it can ask the person for their number. */
export class UnresolvedIdentityError extends AppError {
  constructor(identity: SenderIdentity) {
    super('UNRESOLVED_IDENTITY', `No phone number is known for ${identity.kind} ${identity.id}`, { id: identity.id, kind: identity.kind });
  }
}

/** A pair read from what a bot or a spreadsheet gives, or why it is not one. */
export function readPair(
  ctx: Pick<ServiceContext, 'defaultRegion'>,
  id: string,
  phone: string,
): { pair: IdentityPair } | { rejected: PairRejection } {
  const identity = readSenderIdentity(id);
  if (!identity) return { rejected: 'NOT_AN_IDENTITY' };
  const number = normalizePhoneNumber(phone, { defaultRegion: ctx.defaultRegion });
  if (!number.valid) return { rejected: 'NOT_A_PHONE_NUMBER' };
  return { pair: { id: identity.id, kind: identity.kind, normalized: number.e164 } };
}

/** Pairs already known exactly so in this process's cache need no write (a bot sends them with every message). */
function notYetKnown(ctx: ServiceContext, pairs: IdentityPair[]): IdentityPair[] {
  const cache = ctx.lookupCache;
  if (!cache) return pairs;
  return pairs.filter((pair) => cache.getIdentity(pair.id) !== pair.normalized);
}

/** Remembers valid pairs; `stored` counts new or changed ids. One statement for the whole batch. */
export async function rememberPairs(ctx: ServiceContext, pairs: IdentityPair[]): Promise<{ stored: number }> {
  if (pairs.length === 0) return { stored: 0 };
  return upsertIdentities(ctx, ctx.actor, pairs);
}

/** POST /v1/identities: a bot replays what it saw (a history sync's lidPnMappings, contacts). */
export async function learnIdentities(
  ctx: ServiceContext,
  input: Array<{ id: string; phone: string }>,
): Promise<{ stored: number; unchanged: number; rejected: Array<{ index: number; reason: PairRejection }> }> {
  const pairs: IdentityPair[] = [];
  const rejected: Array<{ index: number; reason: PairRejection }> = [];
  input.forEach((item, index) => {
    const read = readPair(ctx, item.id, item.phone);
    if ('pair' in read) pairs.push(read.pair);
    else rejected.push({ index, reason: read.rejected });
  });
  const { stored } = await rememberPairs(ctx, pairs);
  return { stored, unchanged: pairs.length - stored, rejected };
}

/** Pairs a lookup carried (`alt`): remembered unless this process already knows them so. */
export async function rememberSeenPairs(ctx: ServiceContext, pairs: IdentityPair[]): Promise<void> {
  await rememberPairs(ctx, notYetKnown(ctx, pairs));
}

function toIdentity(row: { id: string; kind: IdentityKind; normalized_number: string; first_seen_at: Date; last_seen_at: Date }): Identity {
  return {
    id: row.id,
    kind: row.kind,
    normalized_number: row.normalized_number,
    first_seen_at: row.first_seen_at.toISOString(),
    last_seen_at: row.last_seen_at.toISOString(),
  };
}

function requireIdentity(text: string): SenderIdentity {
  const identity = readSenderIdentity(text);
  if (!identity) throw new AppError('VALIDATION_FAILED', `"${text}" is not a LID (…@lid) or a BSUID (CC.digits)`, { id: text, reason: 'NOT_AN_IDENTITY' });
  return identity;
}

export async function getIdentity(ctx: ServiceContext, text: string): Promise<Identity> {
  const identity = requireIdentity(text);
  const row = await findIdentity(ctx, identity.id);
  if (!row) throw new NotFoundError(`No pair is known for ${identity.kind} ${identity.id}`, { id: identity.id, kind: identity.kind });
  return toIdentity(row);
}

export async function forgetIdentity(ctx: ServiceContext, text: string): Promise<void> {
  const identity = requireIdentity(text);
  await inTransaction(ctx, async (tx) => {
    const deleted = await deleteIdentity(tx, identity.id);
    if (!deleted) throw new NotFoundError(`No pair is known for ${identity.kind} ${identity.id}`, { id: identity.id, kind: identity.kind });
    await recordAudit(tx, ctx.actor, {
      action: 'identity.forget',
      entityType: 'sender_identity',
      entityId: null,
      oldValue: { id: identity.id, normalized_number: deleted.normalized_number },
    });
  });
}

export async function identitiesOfNumber(ctx: ServiceContext, normalized: string): Promise<Array<{ id: string; kind: IdentityKind; last_seen_at: string }>> {
  const rows = await findIdentitiesOfNumber(ctx, normalized);
  return rows.map((row) => ({ id: row.id, kind: row.kind, last_seen_at: row.last_seen_at.toISOString() }));
}

const batchers = new WeakMap<ServiceContext['sequelize'], LookupBatcher<string>>();

function batcherFor(sequelize: ServiceContext['sequelize']): LookupBatcher<string> {
  let batcher = batchers.get(sequelize);
  if (!batcher) {
    batcher = new LookupBatcher((ids) => findNumbersOfIdentities({ sequelize }, ids));
    batchers.set(sequelize, batcher);
  }
  return batcher;
}

/**
 * The numbers of these ids (absent: unknown): from the process's cache, the rest in one query shared
 * with concurrent lookups. Known and unknown ids are cached alike; a NOTIFY drops them.
 */
export async function resolveIdentities(ctx: ServiceContext, ids: string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const cache = ctx.lookupCache;
  const missing: string[] = [];
  for (const id of ids) {
    const cached = cache?.getIdentity(id);
    if (cached === undefined) missing.push(id);
    else if (cached !== null) found.set(id, cached);
  }
  if (missing.length === 0) return found;
  const snapshot = cache?.snapshot() ?? 0;
  let queried: Map<string, string>;
  if (ctx.transaction) queried = await findNumbersOfIdentities(ctx, missing);
  else {
    const numbers = await readFromReplica(ctx, (db) => {
      const batcher = batcherFor(db.sequelize);
      return Promise.all(missing.map((id) => batcher.find(id)));
    });
    queried = new Map(missing.flatMap((id, index) => (numbers[index] ? [[id, numbers[index]] as const] : [])));
  }
  for (const id of missing) {
    const number = queried.get(id) ?? null;
    cache?.setIdentity(id, number, snapshot);
    if (number) found.set(id, number);
  }
  return found;
}
