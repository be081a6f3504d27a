import type { ServiceContext } from '../context.js';
import { compactIfNeeded, countImports, countsByCategory, countsPerDay } from './stats.repository.js';
import { readFromReplica } from '../db/read-db.js';
import type { Stats } from './stats.schemas.js';

/** Totals for dashboards, from the kept counts: no statement here reads phone_numbers. */
export async function getStats(ctx: ServiceContext, days: number): Promise<Stats> {
  // Folding is a write: on the primary. The counts may come from a replica.
  await compactIfNeeded(ctx);
  return readFromReplica(ctx, async (db) => {
    const byCategory = await countsByCategory(db);
    const perDay = await countsPerDay(db, days);
    const imports = await countImports(db);
    return {
    total_numbers: byCategory.reduce((sum, category) => sum + category.count, 0),
    total_categories: byCategory.length,
    by_category: byCategory,
    created_per_day: perDay.map((row) => ({ date: row.day, count: row.count })),
    imports: {
      total: imports?.total ?? 0,
      running: imports?.running ?? 0,
      completed: imports?.completed ?? 0,
      failed: imports?.failed ?? 0,
      last_finished_at: imports?.last_finished_at?.toISOString() ?? null,
    },
  };
  });
}
