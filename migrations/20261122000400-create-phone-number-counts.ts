import type { MigrationContext } from '../src/db/migrator.js';

/**
 * Exact per-category and per-day counts without counting phone_numbers: every statement that
 * inserts, moves or deletes numbers appends its net change, grouped, to phone_number_count_deltas
 * (statement-level triggers with transition tables: one row per category and day per statement, also
 * for an import's COPY). Append-only, so concurrent writers never wait on each other; readers sum the
 * deltas, and a compaction folds them into one row per category and day now and then.
 */
export async function up({ sequelize }: MigrationContext): Promise<void> {
  await sequelize.query(`
    CREATE TABLE phone_number_count_deltas (
      category_id integer NOT NULL,
      day         date NOT NULL,
      delta       bigint NOT NULL
    );
    CREATE INDEX phone_number_count_deltas_category_idx ON phone_number_count_deltas (category_id);

    INSERT INTO phone_number_count_deltas (category_id, day, delta)
    SELECT category_id, (created_at AT TIME ZONE 'UTC')::date, count(*) FROM phone_numbers GROUP BY 1, 2;

    CREATE FUNCTION phone_numbers_count_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO phone_number_count_deltas (category_id, day, delta)
      SELECT category_id, (created_at AT TIME ZONE 'UTC')::date, count(*) FROM new_rows GROUP BY 1, 2;
      RETURN NULL;
    END $$;

    CREATE FUNCTION phone_numbers_count_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO phone_number_count_deltas (category_id, day, delta)
      SELECT category_id, (created_at AT TIME ZONE 'UTC')::date, -count(*) FROM old_rows GROUP BY 1, 2;
      RETURN NULL;
    END $$;

    CREATE FUNCTION phone_numbers_count_moved() RETURNS trigger LANGUAGE plpgsql AS $$
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

    CREATE TRIGGER phone_numbers_count_inserted AFTER INSERT ON phone_numbers
      REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION phone_numbers_count_inserted();
    CREATE TRIGGER phone_numbers_count_deleted AFTER DELETE ON phone_numbers
      REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION phone_numbers_count_deleted();
    -- (PostgreSQL allows no column list with transition tables: this fires on every UPDATE and counts only moves.)
    CREATE TRIGGER phone_numbers_count_moved AFTER UPDATE ON phone_numbers
      REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION phone_numbers_count_moved();
  `);
}

export async function down({ sequelize }: MigrationContext): Promise<void> {
  await sequelize.query(`
    DROP TRIGGER phone_numbers_count_moved ON phone_numbers;
    DROP TRIGGER phone_numbers_count_deleted ON phone_numbers;
    DROP TRIGGER phone_numbers_count_inserted ON phone_numbers;
    DROP FUNCTION phone_numbers_count_moved();
    DROP FUNCTION phone_numbers_count_deleted();
    DROP FUNCTION phone_numbers_count_inserted();
    DROP TABLE phone_number_count_deltas;
  `);
}
