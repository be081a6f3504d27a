import { writeFileSync } from 'node:fs';
import { pino } from 'pino';
import { createApp } from '../src/app.js';
import { createSequelize } from '../src/db/sequelize.js';

/**
 * The document exactly as GET /openapi.json serves it, built in process: the route that serves it
 * touches no database, so no server and no PostgreSQL are needed (Sequelize connects lazily, and
 * nothing here asks it to). Used by `npm run openapi:lint` and `npm run client:generate`.
 */
export async function servedOpenApiDocument(): Promise<string> {
  const sequelize = createSequelize({ url: 'postgres://nobody@127.0.0.1:1/none' });
  try {
    const app = createApp({ sequelize, defaultRegion: 'ID', logger: pino({ level: 'silent' }) });
    const response = await app.request('/openapi.json');
    if (response.status !== 200) throw new Error(`/openapi.json answered ${response.status}`);
    return `${JSON.stringify(await response.json(), null, 2)}\n`;
  } finally {
    await sequelize.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = process.argv[2];
  if (!out) {
    console.error('usage: tsx scripts/openapi-document.ts OUT.json');
    process.exit(2);
  }
  writeFileSync(out, await servedOpenApiDocument());
}
