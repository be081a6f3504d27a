import { openDatabase } from '../../src/db/database.js';
import { revertImport } from '../../src/imports/imports.service.js';

/** bench: revert one import, as the API's verb does it; prints {removed, restored, kept_changed}. */
const [databaseUrl, importId] = process.argv.slice(2);
const database = await openDatabase({ databaseUrl, dataDir: '', migrate: false, log: () => {} });
try {
  console.log(JSON.stringify(await revertImport({ sequelize: database.sequelize, defaultRegion: 'ID' }, Number(importId))));
} finally {
  await database.close();
}
