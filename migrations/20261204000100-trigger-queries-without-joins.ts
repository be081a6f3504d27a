import type { MigrationContext } from '../src/db/migrator.js';

/**
 * Two statement triggers joined their OLD and NEW transition tables. PL/pgSQL plans such a query
 * once per connection and keeps the plan: first planned for a one-row update (a bot teaching one
 * LID, a staff member moving one number), it stays a nested loop, and a later 10,000-row update on
 * that pooled connection compares 10,000 × 10,000 rows. Measured: re-teaching 10,000 known LID
 * pairs took 50.5 s after a one-row update on the same connection (0.3 s on a fresh one), and
 * POST /v1/identities 14-17 s in bench:lookup. The same queries without a join cost the same at
 * any size and whatever plan is kept:
 * - the LIDs whose number changed are the NEW pairs that are not OLD pairs (EXCEPT);
 * - a move's count deltas are NEW rows counted +1 and OLD rows -1 per category and day: a row that
 *   did not move cancels out.
 */
export async function up({ sequelize }: MigrationContext): Promise<void> {
  await sequelize.query(`
    CREATE OR REPLACE FUNCTION notify_sender_identity_changes() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      changed text[];
    BEGIN
      IF TG_OP = 'INSERT' THEN
        SELECT array_agg(id) INTO changed FROM (SELECT id FROM new_rows LIMIT 51) s;
      ELSIF TG_OP = 'DELETE' THEN
        SELECT array_agg(id) INTO changed FROM (SELECT id FROM old_rows LIMIT 51) s;
      ELSE
        SELECT array_agg(id) INTO changed FROM (
          SELECT id FROM (SELECT id, normalized_number FROM new_rows EXCEPT SELECT id, normalized_number FROM old_rows) d LIMIT 51) s;
      END IF;
      IF changed IS NULL THEN
        RETURN NULL;
      ELSIF array_length(changed, 1) > 50 THEN
        PERFORM pg_notify('lookup_changes', '*');
      ELSE
        PERFORM pg_notify('lookup_changes', array_to_json(changed)::text);
      END IF;
      RETURN NULL;
    END $$;

    CREATE OR REPLACE FUNCTION phone_numbers_count_moved() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO phone_number_count_deltas (category_id, day, delta)
      SELECT category_id, day, sum(delta) FROM (
        SELECT category_id, (created_at AT TIME ZONE 'UTC')::date AS day, 1 AS delta FROM new_rows
        UNION ALL
        SELECT category_id, (created_at AT TIME ZONE 'UTC')::date, -1 FROM old_rows
      ) changes GROUP BY 1, 2 HAVING sum(delta) <> 0;
      RETURN NULL;
    END $$;
  `);
}

export async function down({ sequelize }: MigrationContext): Promise<void> {
  await sequelize.query(`
    CREATE OR REPLACE FUNCTION notify_sender_identity_changes() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      changed text[];
    BEGIN
      IF TG_OP = 'INSERT' THEN
        SELECT array_agg(id) INTO changed FROM (SELECT id FROM new_rows LIMIT 51) s;
      ELSIF TG_OP = 'DELETE' THEN
        SELECT array_agg(id) INTO changed FROM (SELECT id FROM old_rows LIMIT 51) s;
      ELSE
        SELECT array_agg(id) INTO changed FROM (
          SELECT n.id FROM new_rows n JOIN old_rows o USING (id)
          WHERE n.normalized_number IS DISTINCT FROM o.normalized_number LIMIT 51) s;
      END IF;
      IF changed IS NULL THEN
        RETURN NULL;
      ELSIF array_length(changed, 1) > 50 THEN
        PERFORM pg_notify('lookup_changes', '*');
      ELSE
        PERFORM pg_notify('lookup_changes', array_to_json(changed)::text);
      END IF;
      RETURN NULL;
    END $$;

    CREATE OR REPLACE FUNCTION phone_numbers_count_moved() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO phone_number_count_deltas (category_id, day, delta)
      SELECT category_id, day, sum(delta) FROM (
        SELECT o.category_id, (o.created_at AT TIME ZONE 'UTC')::date AS day, -1 AS delta
        FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE n.category_id <> o.category_id
        UNION ALL
        SELECT n.category_id, (n.created_at AT TIME ZONE 'UTC')::date, 1
        FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE n.category_id <> o.category_id
      ) changes GROUP BY 1, 2;
      RETURN NULL;
    END $$;
  `);
}
