import type { ServiceContext } from '../context.js';
import { isQueryCancelled } from './query.js';

/**
 * Runs a read that may be served by a replica (lookups, search, lists, stats): on the replica
 * ReadReplicas picks, or on the primary when there is none fit, inside a transaction (which must see
 * its own writes), or when the replica fails. A replica stopped mid-read costs the caller no error:
 * it is marked down and the read is asked again of the primary. A statement that ran out of its time
 * (statement_timeout) is not retried: it would cost the primary the same again.
 */
export async function readFromReplica<C extends ServiceContext, T>(ctx: C, read: (db: C) => Promise<T>): Promise<T> {
  const replicas = ctx.readReplicas;
  // Already on a replica (a read inside a read): stay there.
  if (!replicas || ctx.transaction || replicas.isReplica(ctx.sequelize)) return read(ctx);
  const sequelize = replicas.pick();
  if (sequelize === ctx.sequelize) return read(ctx);
  try {
    return await read({ ...ctx, sequelize });
  } catch (error) {
    if (isQueryCancelled(error)) throw error;
    replicas.markDown(sequelize);
    return read(ctx);
  }
}
