import { Hono } from 'hono';
import type { AppEnv } from '../http/router.js';
import type { UploadGate } from '../imports/upload-gate.js';
import { findAsset } from './assets.js';
import { handleConsoleError } from './error-page.js';
import { botAuthorsRoutes } from './pages/bot-authors.js';
import { categoriesRoutes } from './pages/categories.js';
import { dashboardRoutes } from './pages/dashboard.js';
import { exampleSpreadsheetRoutes } from './pages/example-spreadsheet.js';
import { createImportRoutes } from './pages/imports.js';
import { languageRoutes } from './pages/language.js';
import { phoneNumberRoutes } from './pages/phone-number.js';
import { searchRoutes } from './pages/search.js';
import { signInRoutes } from './pages/sign-in.js';

export interface WebRouterOptions {
  /** The upload limit, the same as the API's (IMPORT_MAX_BYTES). */
  maxBytes: number;
  uploads: UploadGate;
}

/**
 * The staff console: server-rendered pages at `/` over the same service verbs as the API.
 * Every route declares its own guard (no `use('*')`: mounted at `/`, that would also run on /v1).
 */
export function createWebRouter({ maxBytes, uploads }: WebRouterOptions) {
  const web = new Hono<AppEnv>()
    .get('/assets/:file', (c) => {
      const asset = findAsset(c.req.param('file'));
      if (!asset) return c.notFound();
      // The pages link each file with its content hash, so a cached copy is never stale.
      return c.body(new Uint8Array(asset.body), 200, { 'content-type': asset.type, 'cache-control': 'public, max-age=31536000, immutable' });
    })
    .route('/', signInRoutes)
    .route('/', languageRoutes)
    .route('/', exampleSpreadsheetRoutes)
    .route('/', dashboardRoutes)
    .route('/', searchRoutes)
    .route('/', phoneNumberRoutes)
    .route('/', createImportRoutes({ maxBytes, uploads }))
    .route('/', categoriesRoutes)
    .route('/', botAuthorsRoutes);
  web.onError(handleConsoleError);
  return web;
}
