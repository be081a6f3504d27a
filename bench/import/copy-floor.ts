import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/** The floor without psql: the same COPY … FROM STDIN that psql's \copy sends. */
const [file, url] = process.argv.slice(2);
const client = new pg.Client(url);
await client.connect();
await pipeline(createReadStream(file!), client.query(copyFrom('COPY phone_numbers (original_number, normalized_number, number_type, category_id) FROM STDIN')));
await client.end();
