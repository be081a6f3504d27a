import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticate } from '../../src/auth/api-keys.service.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';

const root = path.resolve(import.meta.dirname, '../..');
let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

function apikey(...args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/apikey.ts', ...args], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: db.url, USER: 'tester' },
    encoding: 'utf8',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('npm run apikey', () => {
  it('when a key is created, listed and revoked, then it works until revoked, and the key is printed alone on the last line', async () => {
    const created = apikey('create', '--role', 'staff', '--name', 'Sales laptop');
    expect(created.code).toBe(0);
    const lines = created.stdout.trim().split('\n');
    const key = lines[lines.length - 1]!;
    expect(key).toMatch(/^wak_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/);
    expect(await authenticate({ sequelize: db.sequelize }, key)).toMatchObject({ name: 'Sales laptop', role: 'staff' });

    const list = apikey('list');
    expect(list.stdout).toContain(key.slice(0, 12));
    expect(list.stdout).not.toContain(key);

    expect(apikey('revoke', key.slice(0, 12)).code).toBe(0);
    expect(await authenticate({ sequelize: db.sequelize }, key)).toBeNull();
    const [rows] = await db.sequelize.query("SELECT actor, action FROM audit_log WHERE entity_type = 'api_key' ORDER BY id");
    expect(rows).toEqual([
      { actor: 'cli:tester', action: 'api_key.create' },
      { actor: 'cli:tester', action: 'api_key.revoke' },
    ]);
  }, 60_000);

  it('when the role is wrong, then it says so and exits 2', () => {
    const result = apikey('create', '--role', 'root', '--name', 'x');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--role');
  });
});
