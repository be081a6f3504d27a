/** How deliveries are made: from the environment (WEBHOOK_*), shared by the worker and the test-event route. */
export interface WebhookSettings {
  /** AES-256 key sealing the endpoints' secrets (WEBHOOK_SECRET_KEY or a key kept in DATA_DIR). */
  secretKey: Buffer;
  /** WEBHOOK_ALLOW_PRIVATE: http and loopback/private addresses allowed (development and tests). */
  allowPrivate: boolean;
  /** One attempt's time limit (WEBHOOK_TIMEOUT_MS). */
  timeoutMs: number;
  /** The wait after the first failure; doubled after each further one, at most 6 hours (WEBHOOK_RETRY_BASE_MS). */
  retryBaseMs: number;
  /** Attempts before a delivery is given up as failed (WEBHOOK_MAX_ATTEMPTS). */
  maxAttempts: number;
}
