import type pg from 'pg';
import { DatabaseError, type Sequelize } from 'sequelize';

/**
 * A pooled node-postgres client for the length of `work`, for what Sequelize's query() cannot do:
 * named prepared statements (the lookup), and the next user of COPY or a session lock. (The importer
 * still borrows its client through the connection manager itself: issue 14.)
 * What the client throws comes out as Sequelize's DatabaseError (the original as its parent), as
 * from any other query, so a lost database is still told apart from a bug (503, logged once).
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
