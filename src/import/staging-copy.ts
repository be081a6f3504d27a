import type { Writable } from 'node:stream';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

export interface StagedRow {
  line: number;
  original: string;
  normalized: string | null;
  numberType: string | null;
  categoryKey: string | null;
  reason: string | null;
}

/** Session-local, not WAL-logged, gone at commit or rollback: costs nothing to leave behind. */
export const CREATE_STAGING_TABLE = `
  CREATE TEMP TABLE import_staging (
    line         integer NOT NULL,
    original     text NOT NULL,
    normalized   text,
    number_type  text,
    category_key text,
    reason       text
  ) ON COMMIT DROP`;

const COPY_STAGING = 'COPY import_staging (line, original, normalized, number_type, category_key, reason) FROM STDIN';

/** COPY text format: backslash, tab, newline and carriage return are escaped; `\N` is NULL. */
function copyValue(value: string | null): string {
  if (value === null) return '\\N';
  return /[\\\t\n\r]/.test(value) ? value.replace(/[\\\t\n\r]/g, (char) => COPY_ESCAPES[char]!) : value;
}
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

export function formatCopyBatch(rows: StagedRow[]): string {
  let text = '';
  for (const row of rows) {
    text += `${row.line}\t${copyValue(row.original)}\t${copyValue(row.normalized)}\t${copyValue(row.numberType)}\t${copyValue(row.categoryKey)}\t${copyValue(row.reason)}\n`;
  }
  return text;
}

/**
 * A COPY stream into the staging table on the import's own connection. PostgreSQL ingests while
 * Node parses the next batch, so parsing and loading overlap.
 */
export class StagingWriter {
  private readonly stream: Writable;
  private readonly done: Promise<void>;

  constructor(client: pg.PoolClient | pg.Client) {
    this.stream = client.query(copyFrom(COPY_STAGING));
    this.done = new Promise((resolve, reject) => {
      this.stream.on('finish', resolve);
      this.stream.on('error', reject);
    });
    // Surfaces through `done`; without a listener, an error here would crash the process.
    this.done.catch(() => {});
  }

  async write(rows: StagedRow[]): Promise<void> {
    if (rows.length === 0) return;
    if (!this.stream.write(formatCopyBatch(rows))) {
      await new Promise<void>((resolve, reject) => {
        const onDrain = () => { this.stream.off('error', onError); resolve(); };
        const onError = (error: Error) => { this.stream.off('drain', onDrain); reject(error); };
        this.stream.once('drain', onDrain);
        this.stream.once('error', onError);
      });
    }
  }

  async finish(): Promise<void> {
    this.stream.end();
    await this.done;
  }

  abort(error: Error): void {
    this.stream.destroy(error);
  }
}
