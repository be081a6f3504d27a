import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';

/**
 * The console's stylesheet and scripts: plain files in src/web/assets, read once at start and
 * served by the app itself (no CDN, no front-end build). Compiled, they sit next to the compiled
 * module (the Dockerfile copies them there); from a repository's dist/ the sources are used.
 */
const TYPES = { '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8' } as const;
const FILES = ['console.css', 'console.js', 'upload.js', 'search.js'] as const;
export type AssetName = (typeof FILES)[number];

const here = path.dirname(fileURLToPath(import.meta.url));

function assetsDir(): string {
  const candidates = [path.join(here, 'assets'), path.resolve(here, '../../../src/web/assets')];
  const found = candidates.find((dir) => existsSync(path.join(dir, FILES[0])));
  if (!found) throw new Error(`The web console's assets are missing (looked in ${candidates.join(', ')}); copy src/web/assets there`);
  return found;
}

interface Asset {
  body: Buffer;
  type: string;
  /** Content hash in the URL: the file can be cached for a year and still change with a release. */
  url: string;
}

const dir = assetsDir();
const assets = new Map<string, Asset>(
  FILES.map((name) => {
    const body = readFileSync(path.join(dir, name));
    const version = createHash('sha256').update(body).digest('hex').slice(0, 10);
    return [name, { body, type: TYPES[path.extname(name) as keyof typeof TYPES], url: `/assets/${name}?v=${version}` }];
  }),
);

export function assetUrl(name: AssetName): string {
  return assets.get(name)!.url;
}

export function findAsset(name: string): Asset | undefined {
  return assets.get(name);
}
