import { modelsOf } from '../db/models.js';
import { mutateRows, queryRows, type Queryable } from '../db/query.js';
import type { Actor } from '../auth/roles.js';
import { SYSTEM_ACTOR } from '../audit/audit.repository.js';
import type { IdentityKind } from '../phone/sender-identity.js';
import { subscribedTo } from '../webhooks/webhook-outbox.repository.js';

export interface IdentityRow {
  id: string;
  kind: IdentityKind;
  normalized_number: string;
  first_seen_at: Date;
  last_seen_at: Date;
}

export interface IdentityPair {
  id: string;
  kind: IdentityKind;
  normalized: string;
}

/**
 * Remembers pairs in one statement, whatever their number: the latest pair of an id in the batch
 * wins, an id that now points at another number is updated, and every new or changed pair gets its
 * audit entry in the same statement. `stored` counts ids that are new or changed. Shared with the
 * importer, which runs it on its own connection inside the import's transaction.
 */
const UPSERT_IDENTITIES_CTES = `WITH input AS (
       SELECT * FROM unnest($1::varchar[], $2::text[], $3::varchar[]) WITH ORDINALITY AS t(id, kind, normalized_number, ord)
     ), latest AS (
       SELECT DISTINCT ON (id) id, kind, normalized_number FROM input ORDER BY id, ord DESC
     ), before AS MATERIALIZED (
       -- Read once, as a whole: inlined into "changed" below, the planner looked every upserted id up
       -- and scanned "latest" again for each, 10,000 x 10,000 rows for a batch of known pairs (17 s).
       SELECT s.id, s.normalized_number FROM sender_identities s JOIN latest USING (id)
     ), upserted AS (
       INSERT INTO sender_identities AS s (id, kind, normalized_number, taught_by_key_id, taught_by)
       SELECT id, kind, normalized_number, $4, $5 FROM latest
       ON CONFLICT (id) DO UPDATE SET
         normalized_number = EXCLUDED.normalized_number,
         last_seen_at = now(),
         taught_by_key_id = CASE WHEN s.normalized_number = EXCLUDED.normalized_number THEN s.taught_by_key_id ELSE EXCLUDED.taught_by_key_id END,
         taught_by = CASE WHEN s.normalized_number = EXCLUDED.normalized_number THEN s.taught_by ELSE EXCLUDED.taught_by END
       RETURNING s.id, s.normalized_number
     ), changed AS (
       SELECT u.id, u.normalized_number, b.normalized_number AS previous, b.id IS NULL AS is_new
       FROM upserted u LEFT JOIN before b USING (id)
       WHERE b.id IS NULL OR b.normalized_number <> u.normalized_number
     ), audited AS (
       INSERT INTO audit_log (actor_key_id, actor, action, entity_type, entity_id, old_value, new_value)
       SELECT $4, $5, CASE WHEN is_new THEN 'identity.learn' ELSE 'identity.change' END, 'sender_identity', NULL,
              CASE WHEN is_new THEN NULL ELSE jsonb_build_object('id', id, 'normalized_number', previous) END,
              jsonb_build_object('id', id, 'normalized_number', normalized_number)
       FROM changed
       RETURNING 1
     )`;
const UPSERT_IDENTITIES_RESULT = `
     SELECT (SELECT count(*) FROM changed)::int AS stored, (SELECT count(*) FROM audited)::int AS audited`;

export const UPSERT_IDENTITIES_SQL = UPSERT_IDENTITIES_CTES + UPSERT_IDENTITIES_RESULT;

/**
 * The same, and one `identity.learned` webhook event per new or changed pair, in the same statement
 * (the outbox write of src/webhooks). For pairs bots teach; an import's pairs are told of by its one
 * `import.finished` event instead.
 */
export const UPSERT_AND_ANNOUNCE_IDENTITIES_SQL = `${UPSERT_IDENTITIES_CTES}, learned AS MATERIALIZED (
       SELECT c.id, l.kind, c.normalized_number, c.previous, 'msg_' || replace(gen_random_uuid()::text, '-', '') AS event_id
       FROM changed c JOIN latest l USING (id)
     ), announced AS (
       INSERT INTO webhook_deliveries (webhook_id, event_id, event_type, ordering_key, payload)
       SELECT webhooks.id, e.event_id, 'identity.learned', e.normalized_number,
              jsonb_build_object('type', 'identity.learned', 'timestamp', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                'data', jsonb_build_object('id', e.id, 'kind', e.kind, 'normalized_number', e.normalized_number, 'previous_number', e.previous))
       FROM learned e CROSS JOIN webhooks
       WHERE ${subscribedTo("'identity.learned'::text")}
       RETURNING 1
     )${UPSERT_IDENTITIES_RESULT}`;

export function upsertIdentitiesBind(actor: Actor | undefined, pairs: IdentityPair[]): unknown[] {
  const who = actor ?? SYSTEM_ACTOR;
  return [pairs.map((p) => p.id), pairs.map((p) => p.kind), pairs.map((p) => p.normalized), who.keyId, who.name];
}

export async function upsertIdentities(db: Queryable, actor: Actor | undefined, pairs: IdentityPair[]): Promise<{ stored: number }> {
  const [row] = await mutateRows<{ stored: number }>(db, UPSERT_AND_ANNOUNCE_IDENTITIES_SQL, upsertIdentitiesBind(actor, pairs));
  return { stored: row?.stored ?? 0 };
}

const SHOWN = ['id', 'kind', 'normalized_number', 'first_seen_at', 'last_seen_at'] as const;

export async function findIdentity(db: Queryable, id: string): Promise<IdentityRow | null> {
  const { Identity } = modelsOf(db.sequelize);
  return Identity.findByPk(id, { attributes: [...SHOWN], raw: true, transaction: db.transaction });
}

export async function findNumbersOfIdentities(db: Queryable, ids: string[]): Promise<Map<string, string>> {
  const rows = await queryRows<{ id: string; normalized_number: string }>(
    db,
    'SELECT id, normalized_number FROM sender_identities WHERE id = ANY($1::varchar[])',
    [ids],
  );
  return new Map(rows.map((row) => [row.id, row.normalized_number]));
}

export async function findIdentitiesOfNumber(db: Queryable, normalized: string): Promise<IdentityRow[]> {
  const { Identity } = modelsOf(db.sequelize);
  return Identity.findAll({
    attributes: [...SHOWN],
    where: { normalized_number: normalized },
    order: [['last_seen_at', 'DESC'], ['id', 'ASC']],
    limit: 100,
    raw: true,
    transaction: db.transaction,
  });
}

export async function deleteIdentity(db: Queryable, id: string): Promise<{ normalized_number: string; kind: string } | null> {
  const [row] = await mutateRows<{ normalized_number: string; kind: string }>(
    db,
    'DELETE FROM sender_identities WHERE id = $1 RETURNING normalized_number, kind',
    [id],
  );
  return row ?? null;
}
