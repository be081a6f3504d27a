import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * The key of the hash an erasure leaves behind: ERASURE_HMAC_KEY (64 hex characters) when set — what
 * a deployment should do, kept with its other secrets — else one made once and kept in DATA_DIR
 * (mode 600), as the embedded PostgreSQL's credentials are. It must outlive restarts: a hash made
 * with a lost key can no longer be checked against anything.
 */
export function loadErasureKey(configured: string | undefined, dataDir: string): Promise<Buffer> {
  return loadServerKey(configured, dataDir, 'erasure-hmac.key');
}

/** A 32-byte key: the configured one (64 hex characters), else one made once and kept in `dataDir/fileName`. */
export async function loadServerKey(configured: string | undefined, dataDir: string, fileName: string): Promise<Buffer> {
  if (configured) return Buffer.from(configured, 'hex');
  const file = path.join(dataDir, fileName);
  try {
    return Buffer.from((await readFile(file, 'utf8')).trim(), 'hex');
  } catch {
    const key = randomBytes(32);
    await mkdir(dataDir, { recursive: true });
    try {
      await writeFile(file, key.toString('hex'), { mode: 0o600, flag: 'wx' });
      return key;
    } catch (error) {
      // Another process (a cluster's worker) made it first: that key is the one.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      return Buffer.from((await readFile(file, 'utf8')).trim(), 'hex');
    }
  }
}
