import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/**
 * There is no Docker here to run docker-compose.yml, so it is checked as far as can be without one:
 * dclint validates it against the compose-spec JSON schema (bundled in the package) and its rules,
 * and the shape the scaling plan relies on is read from the parsed file.
 */
const root = path.resolve(import.meta.dirname, '../..');
const file = path.join(root, 'docker-compose.yml');

interface Service {
  image?: string;
  build?: string;
  environment?: Record<string, string>;
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  volumes?: string[];
  deploy?: { replicas: string | number };
  ports?: string[];
}

describe('docker-compose.yml', () => {
  it('when dclint checks it against the compose-spec schema and its rules, then it finds no problem', async () => {
    const { stdout } = await promisify(execFile)(path.join(root, 'node_modules/.bin/dclint'), [file, '--max-warnings', '0'], { cwd: root });
    expect(stdout.trim()).toBe('');
  });

  it('when read, then a primary, a streaming replica, N API processes and one port, every service with a healthcheck and the databases on volumes', () => {
    const compose = parse(readFileSync(file, 'utf8')) as { services: Record<string, Service>; volumes: Record<string, unknown> };
    const { api, gateway, 'db-primary': primary, 'db-replica': replica } = compose.services;
    for (const [name, service] of Object.entries(compose.services)) expect(service.healthcheck?.test, name).toBeDefined();
    expect(primary?.volumes?.[0]).toMatch(/^primary-data:/);
    expect(replica?.volumes?.[0]).toMatch(/^replica-data:/);
    expect(Object.keys(compose.volumes)).toEqual(['primary-data', 'replica-data']);
    expect(JSON.stringify(replica)).toContain('pg_basebackup');
    expect(JSON.stringify(replica)).toContain('--write-recovery-conf');
    expect(api?.build).toBe('.');
    expect(api?.deploy?.replicas).toBe('${API_PROCESSES:-3}');
    expect(api?.environment?.DATABASE_URL).toContain('@db-primary:5432/');
    expect(api?.environment?.DATABASE_READ_URLS).toContain('@db-replica:5432/');
    expect(api?.depends_on?.['db-primary']?.condition).toBe('service_healthy');
    expect(gateway?.ports).toEqual(['127.0.0.1:${PORT:-8080}:8080']);
    expect(gateway?.depends_on?.api?.condition).toBe('service_healthy');
  });

  it('when the environment the app reads is compared, then every variable the API service sets is one the app knows', async () => {
    const compose = parse(readFileSync(file, 'utf8')) as { services: Record<string, Service> };
    const envSource = readFileSync(path.join(root, 'src/env.ts'), 'utf8');
    for (const name of Object.keys(compose.services.api?.environment ?? {})) expect(envSource, name).toMatch(new RegExp(`\\b${name}:`));
  });
});
