/** The document's tags, in the order generated docs and clients list them, each saying who it is for. */
export const API_TAGS = [
  { name: 'Lookup', description: 'What bots ask all day: the category of a sender, by number, WhatsApp id, LID or BSUID, one or a thousand at a time.' },
  { name: 'Identities', description: 'LID and BSUID ↔ phone-number pairs a bot has seen, so later lookups by id alone are answered.' },
  { name: 'Categories', description: 'The categories numbers are filed in (admins change them; every key reads them).' },
  { name: 'Phone numbers', description: 'Filed numbers: file, move, rename, delete, search, and each number\'s history (staff).' },
  { name: 'Imports', description: 'Bulk imports of CSV files and .xlsx workbooks, their reports, rejected rows and undo (staff).' },
  { name: 'Webhooks', description: 'Endpoints that hear of changes as they are committed, signed per Standard Webhooks, and their delivery log (admins).' },
  { name: 'API keys', description: 'Keys and their roles (admins); a key is shown once, only its hash is stored.' },
  { name: 'Stats', description: 'Totals, numbers per category and per day, imports (staff).' },
  { name: 'Erasure', description: 'Erasing a person\'s number everywhere it is held (admins).' },
  { name: 'Health', description: 'Liveness and database reachability, without a key.' },
];
