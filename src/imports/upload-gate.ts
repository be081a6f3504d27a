import type { Context } from 'hono';
import { AppError } from '../errors.js';

/** Seconds a refused uploader is told to wait: about one small import. */
const RETRY_AFTER_SECONDS = 10;

/**
 * The per-process bound on uploads in progress (IMPORT_MAX_CONCURRENT) and how long an upload may
 * send nothing (IMPORT_STALL_TIMEOUT_MS). Imports run one at a time anyway; more waiting uploads
 * would only hold sockets and memory, so beyond the bound the next one is told when to come back.
 */
export class UploadGate {
  private active = 0;

  constructor(
    readonly maxConcurrent: number,
    readonly stallTimeoutMs: number,
  ) {}

  /** Takes a place or throws RATE_LIMITED (429, Retry-After); call the returned function when done. */
  enter(c: Context): () => void {
    if (this.active >= this.maxConcurrent) {
      c.header('Retry-After', String(RETRY_AFTER_SECONDS));
      throw new AppError('RATE_LIMITED', `${this.active} uploads are already in progress; try again in ${RETRY_AFTER_SECONDS} s`, {
        retry_after: RETRY_AFTER_SECONDS,
        max_concurrent_uploads: this.maxConcurrent,
      });
    }
    this.active += 1;
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.active -= 1;
    };
  }
}
