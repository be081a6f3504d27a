import { pino } from 'pino';
import { createApp, type App } from '../../src/app.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

export interface TestApp {
  app: App;
  db: TestDatabase;
  request(path: string, init?: RequestInit & { json?: unknown }): Promise<Response>;
  close(): Promise<void>;
}

/** The real app, in process, on a database of its own. */
export async function createTestApp(options: { importMaxBytes?: number } = {}): Promise<TestApp> {
  const db = await createTestDatabase();
  const app = createApp({ sequelize: db.sequelize, defaultRegion: 'ID', logger: pino({ level: 'silent' }), ...options });
  return {
    app,
    db,
    request: async (path, init = {}) => {
      const { json, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (json !== undefined) headers.set('content-type', 'application/json');
      return app.request(path, { ...rest, headers, body: json === undefined ? rest.body : JSON.stringify(json) });
    },
    close: () => db.drop(),
  };
}
