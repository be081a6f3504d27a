import pg from 'pg';
import { Sequelize } from 'sequelize';

// int8 (bigint ids, count(*)) arrives as a string by default; every value we store fits in a double.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export interface DatabaseOptions {
  url: string;
  poolMax?: number;
  log?: (sql: string) => void;
}

export function createSequelize({ url, poolMax = 10, log }: DatabaseOptions): Sequelize {
  return new Sequelize(url, {
    dialect: 'postgres',
    dialectModule: pg,
    logging: log ?? false,
    pool: { max: poolMax, min: 0, idle: 10_000, acquire: 10_000 },
    define: { underscored: true, timestamps: true },
  });
}
