import type { MigrationContext } from '../src/db/migrator.js';

/**
 * LIDs and BSUIDs a bot has seen next to a phone number. The number is held in its normalized form,
 * not as a reference to phone_numbers: a bot sees a pair before (or without) the number being filed,
 * and the pair must still answer once it is. One id → one number; a number may have several ids.
 *
 * Deleting a filed number deletes its identities (a trigger, so every path — a single delete, a
 * category's cascade, an erasure, an import's revert — does it). Every committed change names its
 * ids on the lookup caches' NOTIFY channel, like numbers do; an unchanged replay (only last_seen_at
 * moves) says nothing, so replaying a history sync does not empty every cache.
 */
export async function up({ sequelize }: MigrationContext): Promise<void> {
  await sequelize.query(`
    CREATE TABLE sender_identities (
      id                varchar(160) PRIMARY KEY,
      kind              text NOT NULL CHECK (kind IN ('lid', 'bsuid')),
      normalized_number varchar(20) NOT NULL,
      first_seen_at     timestamptz NOT NULL DEFAULT now(),
      last_seen_at      timestamptz NOT NULL DEFAULT now(),
      taught_by_key_id  integer REFERENCES api_keys (id) ON DELETE SET NULL,
      taught_by         text NOT NULL
    );
    CREATE INDEX sender_identities_normalized_number_idx ON sender_identities (normalized_number);

    CREATE FUNCTION notify_sender_identity_changes() RETURNS trigger LANGUAGE plpgsql AS $$
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

    CREATE TRIGGER sender_identities_notify_insert AFTER INSERT ON sender_identities
      REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION notify_sender_identity_changes();
    CREATE TRIGGER sender_identities_notify_update AFTER UPDATE ON sender_identities
      REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION notify_sender_identity_changes();
    CREATE TRIGGER sender_identities_notify_delete AFTER DELETE ON sender_identities
      REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION notify_sender_identity_changes();

    CREATE FUNCTION delete_identities_of_deleted_numbers() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      DELETE FROM sender_identities s USING old_rows o WHERE s.normalized_number = o.normalized_number;
      RETURN NULL;
    END $$;
    CREATE TRIGGER phone_numbers_delete_identities AFTER DELETE ON phone_numbers
      REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION delete_identities_of_deleted_numbers();
  `);
}

export async function down({ sequelize }: MigrationContext): Promise<void> {
  await sequelize.query(`
    DROP TRIGGER phone_numbers_delete_identities ON phone_numbers;
    DROP FUNCTION delete_identities_of_deleted_numbers();
    DROP TABLE sender_identities;
    DROP FUNCTION notify_sender_identity_changes();
  `);
}
