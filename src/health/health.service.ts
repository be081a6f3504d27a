import type { ServiceContext } from '../context.js';

/** A health probe must answer quickly even when the database hangs, so it gives up after a bound. */
const PROBE_TIMEOUT_MS = 2000;

export async function checkDatabase(ctx: ServiceContext): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), PROBE_TIMEOUT_MS);
  });
  const probe = ctx.sequelize.query('SELECT 1').then(
    () => true,
    () => false,
  );
  try {
    return await Promise.race([probe, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
