/** Characters per stored chunk: big enough to make chunks few, small enough to grow in steps. */
const CHUNK_CHARS = 1 << 20;

/**
 * A workbook's shared strings, packed: their text concatenated into ~1 MB strings and their bounds
 * in typed arrays. A million phone numbers stored as text cost ~35 MB here against ~110 MB as a
 * million separate JS strings (each with its own header, and often pinning the parser's chunk it
 * was sliced from), which is what keeps a 1M-row workbook within the import's memory.
 */
export class SharedStrings {
  private readonly chunks: string[] = [];
  private pending: string[] = [];
  private pendingChars = 0;
  /** For string i: the chunk it is in, and its start and end in that chunk. */
  private chunkOf = new Uint32Array(1024);
  private starts = new Uint32Array(1024);
  private ends = new Uint32Array(1024);
  private count = 0;

  get size(): number {
    return this.count;
  }

  add(text: string): void {
    if (this.pendingChars + text.length > CHUNK_CHARS && this.pendingChars > 0) this.flush();
    if (this.count === this.starts.length) this.grow();
    this.chunkOf[this.count] = this.chunks.length;
    this.starts[this.count] = this.pendingChars;
    this.ends[this.count] = this.pendingChars + text.length;
    this.pending.push(text);
    this.pendingChars += text.length;
    this.count += 1;
  }

  /** Call once every string is added. */
  finish(): void {
    if (this.pending.length > 0) this.flush();
  }

  get(index: number): string | undefined {
    if (!(index >= 0 && index < this.count)) return undefined;
    return this.chunks[this.chunkOf[index]!]!.slice(this.starts[index], this.ends[index]);
  }

  private flush(): void {
    // join() copies into one flat string: the parts (and any parser chunk they pinned) are then free.
    this.chunks.push(this.pending.join(''));
    this.pending = [];
    this.pendingChars = 0;
  }

  private grow(): void {
    const size = this.starts.length * 2;
    for (const key of ['chunkOf', 'starts', 'ends'] as const) {
      const grown = new Uint32Array(size);
      grown.set(this[key]);
      this[key] = grown;
    }
  }
}
