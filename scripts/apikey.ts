import { parseArgs } from 'node:util';
import { CreateApiKeySchema } from '../src/auth/api-keys.schemas.js';
import { createApiKey, listApiKeys, revokeApiKey } from '../src/auth/api-keys.service.js';
import type { Actor } from '../src/auth/roles.js';
import { openDatabaseFromEnv } from '../src/db/database.js';
import { readEnv } from '../src/env.js';
import { AppError } from '../src/errors.js';
import { describeIssues } from '../src/zod-issues.js';

const USAGE = `usage: npm run apikey -- create --role bot|staff|admin --name NAME
       npm run apikey -- list
       npm run apikey -- revoke KEY-OR-PREFIX-OR-ID`;

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { role: { type: 'string' }, name: { type: 'string' } },
  strict: false,
});
const [command, target] = positionals;
if (!command || !['create', 'list', 'revoke'].includes(command) || (command === 'revoke' && !target)) {
  console.error(USAGE);
  process.exit(2);
}

const env = readEnv();
const database = await openDatabaseFromEnv(env, (message) => console.error(message));
// Whoever runs this command has the database itself in hand: the audit trail names them.
const actor: Actor = { keyId: null, name: `cli:${process.env.USER ?? 'unknown'}`, role: 'admin' };
const ctx = { sequelize: database.sequelize, defaultRegion: env.DEFAULT_REGION, actor };
try {
  if (command === 'create') {
    const input = CreateApiKeySchema.safeParse({ name: values.name, role: values.role });
    if (!input.success) {
      console.error(`${describeIssues(input.error.issues, (path) => `--${path.join('.')}`).join('\n')}\n${USAGE}`);
      process.exitCode = 2;
    } else {
      const created = await createApiKey(ctx, input.data);
      console.error(`Created ${created.role} key "${created.name}" (${created.prefix}). It is shown once, below; only its hash is stored.`);
      console.log(created.key);
    }
  } else if (command === 'list') {
    for (const key of await listApiKeys(ctx)) {
      const state = key.revoked_at ? `revoked ${key.revoked_at}` : `last used ${key.last_used_at ?? 'never'}`;
      console.log(`${String(key.id).padStart(4)}  ${key.prefix}  ${key.role.padEnd(5)}  ${key.name}  (${state})`);
    }
  } else {
    const revoked = await revokeApiKey(ctx, target!);
    console.log(`Revoked ${revoked.prefix} "${revoked.name}"`);
  }
} catch (error) {
  console.error(error instanceof AppError ? error.message : `Failed: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await database.close();
}
