import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { createApp, type App, type AppDependencies } from '../../src/app.js';
import { createApiKey } from '../../src/auth/api-keys.service.js';
import type { Role } from '../../src/auth/roles.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

export interface TestRequestInit extends RequestInit {
  json?: unknown;
  /** Which key to send: a role's key (admin by default), or null for none. */
  as?: Role | null;
}

export interface TestApp {
  app: App;
  db: TestDatabase;
  keys: Record<Role, string>;
  request(path: string, init?: TestRequestInit): Promise<Response>;
  close(): Promise<void>;
}

/** The real app, in process, on a database of its own, with one key per role. */
export async function createTestApp(options: Partial<Omit<AppDependencies, 'sequelize'>> = {}): Promise<TestApp> {
  const db = await createTestDatabase();
  const app = createApp({ sequelize: db.sequelize, defaultRegion: 'ID', logger: pino({ level: 'silent' }), erasureKey: randomBytes(32), ...options });
  const ctx = { sequelize: db.sequelize, defaultRegion: 'ID' as const };
  const keys = {} as Record<Role, string>;
  for (const role of ['bot', 'staff', 'admin'] as const) keys[role] = (await createApiKey(ctx, { name: `test ${role}`, role })).key;
  return {
    app,
    db,
    keys,
    request: async (path, init = {}) => {
      const { json, as = 'admin', ...rest } = init;
      const headers = new Headers(rest.headers);
      if (json !== undefined) headers.set('content-type', 'application/json');
      if (as && !headers.has('authorization')) headers.set('authorization', `Bearer ${keys[as]}`);
      return app.request(path, { ...rest, headers, body: json === undefined ? rest.body : JSON.stringify(json) });
    },
    close: () => db.drop(),
  };
}
