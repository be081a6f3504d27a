import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';

export interface Queryable {
  sequelize: Sequelize;
  transaction?: Transaction | undefined;
}

/**
 * Every statement goes through here with `$1`-style bind parameters, so values never meet SQL text.
 * Rows come back as plain objects: the ORM does not leak into the services.
 */
export async function queryRows<T extends object>(db: Queryable, sql: string, bind: unknown[] = []): Promise<T[]> {
  return db.sequelize.query<T>(sql, { bind, type: QueryTypes.SELECT, transaction: db.transaction });
}

export async function queryOne<T extends object>(db: Queryable, sql: string, bind: unknown[] = []): Promise<T | null> {
  const rows = await queryRows<T>(db, sql, bind);
  return rows[0] ?? null;
}

/** For INSERT/UPDATE/DELETE … RETURNING. */
export async function mutateRows<T extends object>(db: Queryable, sql: string, bind: unknown[] = []): Promise<T[]> {
  const [rows] = await db.sequelize.query(sql, { bind, transaction: db.transaction });
  return rows as T[];
}

const UNIQUE_VIOLATION = '23505';

function pgCode(error: unknown): string | undefined {
  const parent = (error as { parent?: { code?: string } })?.parent;
  return parent?.code ?? (error as { code?: string })?.code;
}

export const isUniqueViolation = (error: unknown) => pgCode(error) === UNIQUE_VIOLATION;
/** statement_timeout (or a cancel request) stopped the statement. */
export const isQueryCancelled = (error: unknown) => pgCode(error) === '57014';

/** Runs `work` in the caller's transaction when there is one, otherwise in a new one. */
export async function inTransaction<T extends Queryable, R>(db: T, work: (db: T) => Promise<R>): Promise<R> {
  if (db.transaction) return work(db);
  return db.sequelize.transaction((transaction) => work({ ...db, transaction }));
}

/** For statements whose rows are not needed: the number of rows they touched. */
export async function execute(db: Queryable, sql: string, bind: unknown[] = []): Promise<number> {
  const [, result] = await db.sequelize.query(sql, { bind, transaction: db.transaction });
  return (result as { rowCount?: number } | undefined)?.rowCount ?? 0;
}

/** One round trip that reads nothing: whether the database answers at all. */
export async function ping(sequelize: Sequelize): Promise<void> {
  await sequelize.query('SELECT 1');
}
