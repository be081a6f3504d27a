import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CLIENT_DOCUMENT, CLIENT_TYPES, generateClientTypes } from '../../scripts/client-generate.js';
import { servedOpenApiDocument } from '../../scripts/openapi-document.js';

const STALE = 'the committed client is not what the current document generates: run npm run client:generate and commit';

describe('the typed client in clients/typescript', () => {
  it('when the app serves its document, then the committed openapi.json and schema.d.ts are exactly what it generates', async () => {
    const document = await servedOpenApiDocument();
    expect(readFileSync(CLIENT_DOCUMENT, 'utf8'), STALE).toBe(document);
    expect(readFileSync(CLIENT_TYPES, 'utf8'), STALE).toBe(await generateClientTypes(document));
  });
});
