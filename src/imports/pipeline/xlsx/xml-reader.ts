import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { SaxesParser } from 'saxes';

export interface XmlHandlers {
  open?(name: string, attributes: Record<string, string>, selfClosing: boolean): void;
  close?(name: string): void;
  text?(text: string): void;
}

/** An element's name without its namespace prefix (`x:row` and `row` are the same element). */
function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}

/**
 * Feeds a zip entry's XML to saxes (a conforming, streaming, well-kept parser; exceljs uses it too)
 * and yields the size of every chunk it has parsed, so a caller can hand on what the chunk completed
 * (and count progress) while memory stays bounded by a chunk, however large the part.
 */
export async function* parseXmlChunks(stream: Readable, handlers: XmlHandlers): AsyncGenerator<number> {
  const parser = new SaxesParser<{ xmlns: false; position: false }>({ xmlns: false, position: false });
  // Called as methods: a handler may be a class instance that keeps its state on `this`.
  if (handlers.open) parser.on('opentag', (tag) => handlers.open!(localName(tag.name), tag.attributes, tag.isSelfClosing));
  if (handlers.close) parser.on('closetag', (tag) => handlers.close!(localName(tag.name)));
  if (handlers.text) {
    parser.on('text', (text) => handlers.text!(text));
    parser.on('cdata', (text) => handlers.text!(text));
  }
  const decoder = new StringDecoder('utf8');
  let first = true;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    let text = decoder.write(chunk);
    if (first && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    parser.write(text);
    yield chunk.length;
  }
  parser.write(decoder.end());
  parser.close();
  yield 0;
}

/** Reads a whole (small) part through `handlers`. */
export async function parseXml(stream: Readable, handlers: XmlHandlers): Promise<void> {
  for await (const _ of parseXmlChunks(stream, handlers)) void _;
}

/** Excel writes characters XML cannot hold as `_xHHHH_` (a carriage return is `_x000D_`). */
export function unescapeExcelText(text: string): string {
  if (!text.includes('_x')) return text;
  return text.replace(/_x([0-9A-Fa-f]{4})_/g, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}
