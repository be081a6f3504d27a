import pg from 'pg';
import { Sequelize } from 'sequelize';

// int8 (bigint ids, count(*)) arrives as a string by default; every value we store fits in a double.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export interface DatabaseOptions {
  url: string;
  poolMax?: number;
  log?: (sql: string) => void;
}

/**
 * Limits for the API's pooled queries, so that one stuck statement, lock wait or forgotten
 * transaction cannot hold a connection the lookups need. JSON routes answer within seconds; a
 * longer job (an import, a revert, a migration) raises them for its own transaction with SET LOCAL.
 */
export const POOLED_QUERY_LIMITS = {
  statement_timeout: 60_000,
  lock_timeout: 10_000,
  idle_in_transaction_session_timeout: 60_000,
} as const;

export function createSequelize({ url, poolMax = 10, log }: DatabaseOptions): Sequelize {
  return new Sequelize(url, {
    dialect: 'postgres',
    dialectModule: pg,
    logging: log ?? false,
    dialectOptions: { ...POOLED_QUERY_LIMITS },
    pool: { max: poolMax, min: 0, idle: 10_000, acquire: 10_000 },
  });
}
