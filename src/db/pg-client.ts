import type pg from 'pg';
import { DatabaseError, type Sequelize } from 'sequelize';

/**
 * A pooled node-postgres client for the length of `work`, as it is: for what Sequelize's query()
 * cannot do (COPY, a session lock held across many statements). Taken from the pool for writes, so
 * that it is the primary's even when reads go elsewhere. What `work` throws comes out unchanged: the
 * importer tells its own failures (a bad file, a lost database) apart. This is the one place that
 * reaches into Sequelize's connection manager.
 */
export async function borrowPgClient<T>(sequelize: Sequelize, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = (await sequelize.connectionManager.getConnection({ type: 'write' })) as unknown as pg.PoolClient;
  try {
    return await work(client);
  } finally {
    sequelize.connectionManager.releaseConnection(client as never);
  }
}

/**
 * A pooled client for one read Sequelize's query() cannot express: a named prepared statement (the
 * lookup). What the client throws comes out as Sequelize's DatabaseError (the original as its
 * parent), as from any other query, so a lost database is still told apart from a bug (503, logged once).
 */
export async function withPgClient<T>(sequelize: Sequelize, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = (await sequelize.connectionManager.getConnection({ type: 'read' })) as unknown as pg.PoolClient;
  try {
    return await work(client);
  } catch (error) {
    throw new DatabaseError(error as Error & { sql: string; parameters: object });
  } finally {
    sequelize.connectionManager.releaseConnection(client as never);
  }
}
