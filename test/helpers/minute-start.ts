import type { Sequelize } from 'sequelize';

/**
 * Rate limits count per minute of the database's clock. A test that counts answers against a limit
 * starts with at least `seconds` of the minute left, so the minute cannot turn under it.
 */
export async function withMinuteLeft(sequelize: Sequelize, seconds = 15): Promise<void> {
  const [[row]] = (await sequelize.query('SELECT extract(second FROM now())::float AS second')) as [[{ second: number }], unknown];
  const left = 60 - row.second;
  if (left < seconds) await new Promise((resolve) => setTimeout(resolve, (left + 0.5) * 1000));
}
