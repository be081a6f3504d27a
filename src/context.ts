import type { CountryCode } from 'libphonenumber-js/max';
import type { Sequelize, Transaction } from 'sequelize';
import type { ApiKeyCache } from './auth/api-key-cache.js';
import type { Actor } from './auth/roles.js';
import type { ReadReplicas } from './db/read-replicas.js';
import type { LookupCache } from './lookup/lookup-cache.js';
import type { WebhookSettings } from './webhooks/webhook-settings.js';

/** What every service verb needs: the database and the settings that change its answers. */
export interface ServiceContext {
  sequelize: Sequelize;
  defaultRegion: CountryCode;
  transaction?: Transaction;
  /** Who is asking; recorded with every write. Absent for work the system does on its own. */
  actor?: Actor;
  /** The process's cache of lookups, when it has one (the API server does; tools do not). */
  lookupCache?: LookupCache;
  /** DATABASE_READ_URLS: where lookups, search, lists and stats may read (see readFromReplica). */
  readReplicas?: ReadReplicas;
  /** The process's short-lived cache of key rows (the API server has one). */
  apiKeyCache?: ApiKeyCache;
  /** What one search may cost the database (SEARCH_TIMEOUT_MS by default). */
  searchTimeoutMs?: number;
  /** Key of the hash an erasure leaves behind (ERASURE_HMAC_KEY). */
  erasureKey?: Buffer;
  /** AUDIT_RETENTION_DAYS: how far back histories reach. */
  auditRetentionDays?: number;
  /** How webhooks are sealed and sent; absent, registering one answers 503. */
  webhooks?: WebhookSettings;
}
