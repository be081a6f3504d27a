import { serve } from '@hono/node-server';
import { Hono } from 'hono';

/**
 * The HTTP ceiling: the same server stack (Node, @hono/node-server, Hono) answering the lookup
 * path with a constant body of the lookup's shape — no auth, no validation, no database.
 */
const body = { normalized_number: '+6281234567890', category: { id: 1, name: 'Pelanggan VIP' }, phone_number_id: 123456 };
const app = new Hono();
app.get('/health', (c) => c.json({ status: 'ok' }));
app.get('/v1/lookup/:number', (c) => c.json(body));
serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: '127.0.0.1' });
// Exits cleanly on SIGTERM (the benchmark stops it so), so a --cpu-prof profile gets written.
process.on('SIGTERM', () => process.exit(0));
