import type { MigrationContext } from '../src/db/migrator.js';

/**
 * Tells every API process which filed numbers changed, so their lookup caches stay right: one
 * NOTIFY per statement (an import's COPY included), sent on commit. A statement that touches a few
 * numbers names them; a larger one, or any change to categories, says "*" (drop everything).
 */
export async function up({ sequelize }: MigrationContext): Promise<void> {
  await sequelize.query(`
    CREATE FUNCTION notify_phone_number_changes() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      changed text[];
    BEGIN
      IF TG_OP = 'INSERT' THEN
        SELECT array_agg(normalized_number) INTO changed FROM (SELECT normalized_number FROM new_rows LIMIT 51) s;
      ELSIF TG_OP = 'DELETE' THEN
        SELECT array_agg(normalized_number) INTO changed FROM (SELECT normalized_number FROM old_rows LIMIT 51) s;
      ELSE
        SELECT array_agg(normalized_number) INTO changed FROM (
          SELECT normalized_number FROM old_rows UNION SELECT normalized_number FROM new_rows LIMIT 51) s;
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

    CREATE TRIGGER phone_numbers_notify_insert AFTER INSERT ON phone_numbers
      REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION notify_phone_number_changes();
    CREATE TRIGGER phone_numbers_notify_update AFTER UPDATE ON phone_numbers
      REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION notify_phone_number_changes();
    CREATE TRIGGER phone_numbers_notify_delete AFTER DELETE ON phone_numbers
      REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION notify_phone_number_changes();

    CREATE FUNCTION notify_category_changes() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_notify('lookup_changes', '*');
      RETURN NULL;
    END $$;
    CREATE TRIGGER categories_notify AFTER UPDATE OR DELETE ON categories
      FOR EACH STATEMENT EXECUTE FUNCTION notify_category_changes();
  `);
}

export async function down({ sequelize }: MigrationContext): Promise<void> {
  await sequelize.query(`
    DROP TRIGGER categories_notify ON categories;
    DROP FUNCTION notify_category_changes();
    DROP TRIGGER phone_numbers_notify_delete ON phone_numbers;
    DROP TRIGGER phone_numbers_notify_update ON phone_numbers;
    DROP TRIGGER phone_numbers_notify_insert ON phone_numbers;
    DROP FUNCTION notify_phone_number_changes();
  `);
}
