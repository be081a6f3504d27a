import type { Sequelize } from 'sequelize';
import type { ServiceContext } from '../context.js';
import { ping } from '../db/query.js';

/** A health probe must answer quickly even when the database hangs, so it gives up after a bound. */
const PROBE_TIMEOUT_MS = 2000;
/** /health is unauthenticated: anyone may call it as often as they like, so it reads a recent result. */
const PROBE_REUSE_MS = 1000;

const recent = new WeakMap<Sequelize, { at: number; up: Promise<boolean> }>();

/**
 * Whether the database answers, from a probe at most a second old: callers at the same moment share
 * one probe, so a flood of /health costs at most one query a second.
 */
export function checkDatabase(ctx: ServiceContext, now = Date.now()): Promise<boolean> {
  const last = recent.get(ctx.sequelize);
  if (last && now - last.at < PROBE_REUSE_MS) return last.up;
  const up = probeDatabase(ctx.sequelize);
  recent.set(ctx.sequelize, { at: now, up });
  return up;
}

/** Asks the database now (bounded by PROBE_TIMEOUT_MS), whatever was asked a moment ago. */
export async function probeDatabase(sequelize: Sequelize): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), PROBE_TIMEOUT_MS);
  });
  const answered = ping(sequelize).then(
    () => true,
    () => false,
  );
  try {
    return await Promise.race([answered, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
