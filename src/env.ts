// The small metadata is enough to know the country codes; the large one loads where numbers are parsed.
import { describeIssues } from './zod-issues.js';
import { isSupportedCountry, type CountryCode } from 'libphonenumber-js/min';
import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const booleanFlag = z
  .enum(['true', 'false', '1', '0'])
  .transform((value) => value === 'true' || value === '1');

/**
 * Defaults that createApp also falls back on when a caller (a test, a tool) leaves a setting out, so
 * that the app and the environment cannot disagree on them.
 */
export const SETTING_DEFAULTS = {
  IMPORT_MAX_BYTES: 512 * 1024 * 1024,
  IMPORT_STALL_TIMEOUT_MS: 60_000,
  IMPORT_MAX_CONCURRENT: 4,
  RATE_LIMIT_PER_MINUTE: 120_000,
  AUTH_FAILURES_PER_MINUTE: 100,
} as const;

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  /** Streaming replicas for lookups, search, lists and stats (comma-separated); writes stay on DATABASE_URL. */
  DATABASE_READ_URLS: z
    .string()
    .default('')
    .transform((value) => value.split(',').map((url) => url.trim()).filter(Boolean))
    .pipe(z.array(z.url({ protocol: /^postgres(ql)?$/ }))),
  /** A replica further behind the primary than this is skipped until it catches up. */
  REPLICA_MAX_LAG_MS: z.coerce.number().int().min(0).default(1000),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DEFAULT_REGION: z
    .string()
    .toUpperCase()
    .refine(isSupportedCountry, { message: 'must be an ISO 3166 country code such as ID' })
    .transform((code) => code as CountryCode)
    .default('ID'),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  DATA_DIR: z.string().min(1).default('./.data'),
  CONSOLE_SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).default(30),
  CONSOLE_SESSION_MAX_HOURS: z.coerce.number().int().min(1).default(12),
  AUDIT_RETENTION_DAYS: z.coerce.number().int().min(1).default(365),
  IMPORT_REJECTIONS_RETENTION_DAYS: z.coerce.number().int().min(1).default(90),
  ERASURE_HMAC_KEY: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex characters (32 bytes), e.g. from: openssl rand -hex 32')
    .optional(),
  /** Seals webhook signing secrets (AES-256-GCM); else a key made once and kept in DATA_DIR. */
  WEBHOOK_SECRET_KEY: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex characters (32 bytes), e.g. from: openssl rand -hex 32')
    .optional(),
  /** http and loopback/private addresses for webhooks: development and tests only. */
  WEBHOOK_ALLOW_PRIVATE: booleanFlag.default(false),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().positive().default(10_000),
  WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).default(12),
  WEBHOOK_POLL_MS: z.coerce.number().int().positive().default(1000),
  WEBHOOK_LOG_RETENTION_DAYS: z.coerce.number().int().min(1).default(30),
  MIGRATE_ON_START: booleanFlag.default(true),
  IMPORT_MAX_BYTES: z.coerce.number().int().positive().default(SETTING_DEFAULTS.IMPORT_MAX_BYTES),
  /** An upload that sends no bytes for this long is aborted and changes nothing. */
  IMPORT_STALL_TIMEOUT_MS: z.coerce.number().int().positive().default(SETTING_DEFAULTS.IMPORT_STALL_TIMEOUT_MS),
  /** Uploads in progress per process; beyond it, 429 with Retry-After. */
  IMPORT_MAX_CONCURRENT: z.coerce.number().int().positive().default(SETTING_DEFAULTS.IMPORT_MAX_CONCURRENT),
  /** Long enough to upload and import a large file; Node's own default (300 s) cuts them off. */
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(0).default(60 * 60 * 1000),
  /** Per key, shared by every API process on the database; generous because one bot key may ask thousands of times a second. */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(SETTING_DEFAULTS.RATE_LIMIT_PER_MINUTE),
  AUTH_FAILURES_PER_MINUTE: z.coerce.number().int().min(0).default(SETTING_DEFAULTS.AUTH_FAILURES_PER_MINUTE),
  TRUST_PROXY: z.enum(['true', 'false']).default('false').transform((value) => value === 'true'),
  /** API worker processes on one port (node:cluster); unset: the machine's available parallelism. */
  WEB_CONCURRENCY: z.coerce.number().int().min(1).max(256).optional(),
  /** Entries in each process's lookup cache (number → category); 0 turns the cache off. */
  LOOKUP_CACHE_SIZE: z.coerce.number().int().min(0).default(100_000),
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((value) => value.split(',').map((origin) => origin.trim()).filter(Boolean)),
}).refine((env) => env.NODE_ENV !== 'production' || env.DATABASE_URL, {
  message: 'is required in production (the embedded database is for development)',
  path: ['DATABASE_URL'],
});

export type Env = z.infer<typeof EnvSchema>;

/**
 * The only reader of process.env. A wrong value stops the process at start with the variable named,
 * instead of failing later somewhere far from the cause.
 */
export function readEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const result = EnvSchema.safeParse(source);
  if (result.success) return result.data;
  const problems = describeIssues(result.error.issues).map((line) => `  ${line}`);
  console.error(`Invalid environment:\n${problems.join('\n')}`);
  process.exit(1);
}
