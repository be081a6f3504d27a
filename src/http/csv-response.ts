import { Readable } from 'node:stream';
import type { Context } from 'hono';

/** Streams CSV text as a download, page by page as the generator yields it: nothing is built whole. */
export function csvResponse(c: Context, lines: AsyncIterable<string>, filename: string): Response {
  const encoder = new TextEncoder();
  const bytes = async function* () {
    for await (const text of lines) yield encoder.encode(text);
  };
  return c.body(Readable.toWeb(Readable.from(bytes())) as unknown as ReadableStream, 200, {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="${filename}"`,
  });
}
