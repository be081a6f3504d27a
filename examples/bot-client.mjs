// A bot's client for the WhatsApp contact categories API, on the typed client in clients/typescript
// (openapi-fetch, with paths and bodies generated from the server's OpenAPI document). Copy both into
// your bot (`npm i openapi-fetch`). Node 18+.
//
//   WA_API_URL=http://localhost:3000 WA_API_KEY=wak_… node examples/bot-client.mjs \
//     [--mappings lid-pn-mappings.json] sender[=alt] …
//
// Each sender is what your library gave you as the chat/sender id (a JID, a LID, a BSUID); `=alt`
// is the other form it gave alongside (remoteJidAlt, senderPn, participantPn, wa_id). It prints one
// JSON line per sender: its category, or that the bot should ask the person for their number.

import { pathToFileURL } from 'node:url';
import { createWaClient } from '../clients/typescript/index.js';

const MAX_BATCH = 1000; // POST /v1/lookup takes up to 1000 senders
const MAX_PAIRS = 10_000; // POST /v1/identities takes up to 10,000 pairs

export function createClient({ baseUrl, apiKey }) {
  const api = createWaClient({ baseUrl, apiKey });

  // openapi-fetch answers { data } or { error } (our error envelope) and never throws on a status.
  async function post(path, body) {
    const { data, error, response } = await api.POST(path, { body });
    if (error) throw new Error(`${path}: ${response.status} ${error.error?.code}: ${error.error?.message}`);
    return data;
  }

  // Lookups asked for in the same turn of the event loop go out together in one request.
  let pending = [];
  let scheduled = false;
  async function flush() {
    scheduled = false;
    const batch = pending.splice(0, MAX_BATCH);
    if (pending.length > 0) schedule();
    try {
      const { results } = await post('/v1/lookup', { numbers: batch.map((item) => item.sender) });
      results.forEach((result, index) => batch[index].resolve(result));
    } catch (error) {
      for (const item of batch) item.reject(error);
    }
  }
  function schedule() {
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  }

  return {
    /**
     * Which category is this sender in? `id` is the sender as delivered; `alt` the phone form seen
     * with it (optional). Resolves to the API's result for it: `category` (null when not filed),
     * `resolved_from` ('phone' | 'lid' | 'bsuid'), `reason` ('UNRESOLVED_IDENTITY' when the API
     * does not know this LID/BSUID yet: ask the person for their number).
     */
    lookup(id, alt) {
      return new Promise((resolve, reject) => {
        pending.push({ sender: alt ? { id, alt } : { id }, resolve, reject });
        schedule();
      });
    },

    /** Replays pairs the bot saw (a history sync's lidPnMappings: [{ lid, pn }]) in as few requests as it can. */
    async rememberPairs(mappings) {
      const total = { stored: 0, unchanged: 0, rejected: 0 };
      for (let start = 0; start < mappings.length; start += MAX_PAIRS) {
        const pairs = mappings.slice(start, start + MAX_PAIRS).map(({ lid, pn }) => ({ id: lid, phone: pn }));
        const answer = await post('/v1/identities', { pairs });
        total.stored += answer.stored;
        total.unchanged += answer.unchanged;
        total.rejected += answer.rejected.length;
      }
      return total;
    },
  };
}

async function main(args) {
  const baseUrl = process.env.WA_API_URL ?? 'http://localhost:3000';
  const apiKey = process.env.WA_API_KEY;
  if (!apiKey) throw new Error('Set WA_API_KEY to a bot key (npm run apikey -- create --role bot --name my-bot)');
  const client = createClient({ baseUrl, apiKey });

  const mappingsAt = args.indexOf('--mappings');
  if (mappingsAt !== -1) {
    const { readFile } = await import('node:fs/promises');
    const mappings = JSON.parse(await readFile(args[mappingsAt + 1], 'utf8'));
    console.log(JSON.stringify({ replayed: await client.rememberPairs(mappings) }));
    args.splice(mappingsAt, 2);
  }

  // All at once: the client sends them in one request.
  const answers = await Promise.all(
    args.map((arg) => {
      const [id, alt] = arg.split('=');
      return client.lookup(id, alt);
    }),
  );
  for (const answer of answers) {
    const action =
      answer.reason === 'UNRESOLVED_IDENTITY'
        ? 'ask for their number'
        : answer.category
          ? `treat as ${answer.category.name}`
          : 'treat as a stranger';
    console.log(JSON.stringify({ sender: answer.input, resolved_from: answer.resolved_from, category: answer.category?.name ?? null, action }));
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((error) => {
    console.error(error.message);
    process.exitCode = 1;
  });
}
