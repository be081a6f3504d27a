import type { MigrationContext } from '../src/db/migrator.js';

/**
 * Webhooks and their outbox. A change writes one `webhook_deliveries` row per subscribed endpoint in
 * its own transaction, so an event exists exactly when its change was committed; a background worker
 * sends the pending rows (FOR UPDATE SKIP LOCKED), oldest first and one at a time per endpoint and
 * ordering key (a number), retrying with backoff. The rows stay as the delivery log.
 * Secrets are AES-256-GCM ciphertexts (iv | tag | ciphertext) under the server's webhook key.
 */
export async function up({ sequelize }: MigrationContext): Promise<void> {
  await sequelize.query(`
    CREATE TABLE webhooks (
      id                serial PRIMARY KEY,
      url               text NOT NULL,
      events            text[] NOT NULL,
      description       text,
      secret_ciphertext bytea NOT NULL,
      created_by        text,
      created_at        timestamptz NOT NULL DEFAULT now()
    );
    CREATE TABLE webhook_deliveries (
      id               bigserial PRIMARY KEY,
      webhook_id       integer NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
      event_id         text NOT NULL,
      event_type       text NOT NULL,
      ordering_key     text NOT NULL,
      payload          jsonb NOT NULL,
      status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
      attempts         integer NOT NULL DEFAULT 0,
      next_attempt_at  timestamptz NOT NULL DEFAULT now(),
      last_attempt_at  timestamptz,
      last_status_code integer,
      last_error       text,
      delivered_at     timestamptz,
      created_at       timestamptz NOT NULL DEFAULT now()
    );
    -- The worker's two questions: what is due, and is an older delivery of the same key still pending.
    CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at, id) WHERE status = 'pending';
    CREATE INDEX webhook_deliveries_order_idx ON webhook_deliveries (webhook_id, ordering_key, id) WHERE status = 'pending';
    -- The delivery log, newest first per endpoint.
    CREATE INDEX webhook_deliveries_log_idx ON webhook_deliveries (webhook_id, id DESC);
  `);
}

export async function down({ sequelize }: MigrationContext): Promise<void> {
  await sequelize.query('DROP TABLE webhook_deliveries; DROP TABLE webhooks;');
}
