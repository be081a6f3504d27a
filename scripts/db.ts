import { openDatabaseFromEnv } from '../src/db/database.js';
import { createMigrator, createSeeder } from '../src/db/migrator.js';
import { readEnv } from '../src/env.js';

const USAGE = 'usage: tsx scripts/db.ts migrate | migrate:undo | seed';
const command = process.argv[2];
if (!['migrate', 'migrate:undo', 'seed'].includes(command ?? '')) {
  console.error(USAGE);
  process.exit(2);
}

const env = readEnv();
const database = await openDatabaseFromEnv(env, (message) => console.error(message), { migrate: false });
try {
  if (command === 'migrate') {
    const done = await createMigrator(database.sequelize).up();
    console.log(done.length ? done.map((step) => `migrated ${step.name}`).join('\n') : 'schema is up to date');
  } else if (command === 'migrate:undo') {
    const undone = await createMigrator(database.sequelize).down();
    console.log(undone.length ? undone.map((step) => `reverted ${step.name}`).join('\n') : 'nothing to revert');
  } else {
    const done = await createSeeder(database.sequelize).up();
    console.log(done.length ? done.map((step) => `seeded ${step.name}`).join('\n') : 'reference data is up to date');
  }
} catch (error) {
  console.error(`${command} failed: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await database.close();
}
