// A typed client for the WhatsApp contact categories API. Everything about the API (paths, bodies,
// answers, operation names) comes from schema.d.ts, generated from the server's document; this file
// only says where the server is and which key to send. Types: index.d.ts.
import createFetchClient from 'openapi-fetch';

export function createWaClient({ baseUrl, apiKey, fetch }) {
  const headers = apiKey ? { authorization: `Bearer ${apiKey}` } : {};
  return createFetchClient({ baseUrl, headers, ...(fetch ? { fetch } : {}) });
}
