import type pg from 'pg';
import type { Sequelize } from 'sequelize';

/**
 * A pooled node-postgres client for the length of `work`, for what Sequelize's query() cannot do:
 * named prepared statements, COPY, LISTEN. The one place that reaches into its connection manager.
 */
export async function withPgClient<T>(sequelize: Sequelize, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = (await sequelize.connectionManager.getConnection({ type: 'read' })) as unknown as pg.PoolClient;
  try {
    return await work(client);
  } finally {
    sequelize.connectionManager.releaseConnection(client as never);
  }
}
