/**
 * Code a bot author copies from the bot authors' corner, one per framework in the README's "For bot
 * authors" table (same fields). Code and its comments are English in every language, as code is.
 * `API` is this server's own address, filled in by the page.
 */
export interface BotExample {
  id: string;
  title: string;
  /** The fields table of the README, one row per framework. */
  idField: string;
  altField: string;
  code: (api: string) => string;
}

const lookupFunction = (api: string) => `const API = '${api}';
const headers = { Authorization: \`Bearer \${process.env.WA_API_KEY}\` };

// Which category is this sender in? id: whatever the message came with; alt: the other form, if any.
async function categoryOf(id, alt) {
  const url = new URL(\`\${API}/v1/lookup/\${encodeURIComponent(id)}\`);
  if (alt) url.searchParams.set('alt', alt);
  const answer = await fetch(url, { headers });
  if (answer.status === 404) return null; // not filed, or an id nobody has paired yet
  if (!answer.ok) throw new Error(\`lookup answered \${answer.status}\`);
  return (await answer.json()).category.name;
}`;

export const BOT_EXAMPLES: BotExample[] = [
  {
    id: 'curl',
    title: 'curl',
    idField: '—',
    altField: '—',
    code: (api) => `curl -H "Authorization: Bearer $BOT_KEY" \\
  "${api}/v1/lookup/201234567890123%40lid?alt=6281234567890%40s.whatsapp.net"
# {"normalized_number":"+6281234567890","category":{"id":1,"name":"Pelanggan VIP"},"phone_number_id":42,"name":"Budi","resolved_from":"lid"}`,
  },
  {
    id: 'baileys-7',
    title: 'Baileys v7 (@whiskeysockets/baileys 7.x)',
    idField: 'msg.key.remoteJid (DM), msg.key.participant (group)',
    altField: 'msg.key.remoteJidAlt (DM), msg.key.participantAlt (group)',
    code: (api) => `${lookupFunction(api)}

sock.ev.on('messages.upsert', async ({ messages }) => {
  for (const msg of messages) {
    const group = Boolean(msg.key.participant);
    const id = group ? msg.key.participant : msg.key.remoteJid;
    const alt = group ? msg.key.participantAlt : msg.key.remoteJidAlt; // either side may be the LID
    console.log(await categoryOf(id, alt));
  }
});`,
  },
  {
    id: 'baileys-6',
    title: 'Baileys v6 (6.7.x)',
    idField: 'msg.key.remoteJid / msg.key.participant',
    altField: 'msg.key.senderPn (DM), msg.key.participantPn (group)',
    code: (api) => `${lookupFunction(api)}

sock.ev.on('messages.upsert', async ({ messages }) => {
  for (const msg of messages) {
    const group = Boolean(msg.key.participant);
    const id = group ? msg.key.participant : msg.key.remoteJid;
    const alt = group ? msg.key.participantPn : msg.key.senderPn; // when present
    console.log(await categoryOf(id, alt));
  }
});`,
  },
  {
    id: 'evolution',
    title: 'Evolution API (webhook messages.upsert)',
    idField: 'data.key.remoteJid (group: data.key.participant)',
    altField: 'data.key.remoteJidAlt or data.key.senderPn (group: participantAlt / participantPn)',
    code: (api) => `${lookupFunction(api)}

// Express route receiving Evolution API's messages.upsert webhook.
app.post('/webhook', express.json(), async (req, res) => {
  const { key } = req.body.data;
  const id = key.participant ?? key.remoteJid;
  const alt = key.participant ? key.participantAlt ?? key.participantPn : key.remoteJidAlt ?? key.senderPn;
  res.json({ category: await categoryOf(id, alt) });
});`,
  },
  {
    id: 'waha',
    title: 'WAHA (NOWEB engine)',
    idField: 'payload.from (group: payload.participant)',
    altField: 'payload._data.key.remoteJidAlt / participantAlt, when present',
    code: (api) => `${lookupFunction(api)}

// Express route receiving WAHA's "message" webhook.
app.post('/webhook', express.json(), async (req, res) => {
  const { payload } = req.body;
  const id = payload.participant ?? payload.from;
  const key = payload._data?.key ?? {};
  const alt = payload.participant ? key.participantAlt : key.remoteJidAlt;
  res.json({ category: await categoryOf(id, alt) });
});`,
  },
  {
    id: 'wwebjs',
    title: 'whatsapp-web.js',
    idField: 'message.from (group: message.author)',
    altField: 'the pn of client.getContactLidAndPhone([lid])',
    code: (api) => `${lookupFunction(api)}

client.on('message', async (message) => {
  const id = message.author ?? message.from;
  const alt = id.endsWith('@lid') ? (await client.getContactLidAndPhone([id]))[0]?.pn : undefined;
  console.log(await categoryOf(id, alt));
});`,
  },
  {
    id: 'cloud-api',
    title: 'WhatsApp Cloud API (webhook)',
    idField: 'entry[].changes[].value.contacts[].user_id (the BSUID)',
    altField: 'contacts[].wa_id (the phone number; missing for some users with a username)',
    code: (api) => `${lookupFunction(api)}

// Express route receiving the Cloud API's messages webhook.
app.post('/webhook', express.json(), async (req, res) => {
  for (const entry of req.body.entry ?? []) {
    for (const change of entry.changes ?? []) {
      for (const contact of change.value.contacts ?? []) {
        console.log(await categoryOf(contact.user_id ?? contact.wa_id, contact.user_id ? contact.wa_id : undefined));
      }
    }
  }
  res.sendStatus(200);
});`,
  },
];
