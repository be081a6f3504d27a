/**
 * A Bloom filter over E.164 numbers: "certainly not met before" or "maybe met before", in a fixed
 * amount of memory whatever the size of the file (16 MiB: about 1% false positives at 14 million
 * numbers, more beyond that). A false "maybe" only costs a database lookup; it never changes a count.
 */
export class SeenNumbersFilter {
  private readonly bits: Uint32Array;
  private readonly mask: number;

  constructor(log2Bits = 27, private readonly hashes = 7) {
    this.bits = new Uint32Array(2 ** (log2Bits - 5));
    this.mask = 2 ** log2Bits - 1;
  }

  /** Adds the number; answers whether it may have been added before. */
  addAndCheck(e164: string): boolean {
    // E.164 has at most 15 digits, so the number itself is an exact double: hash its two halves.
    const value = Number(e164.slice(1));
    let h1 = mix(value % 0x100000000);
    const h2 = mix(Math.floor(value / 0x100000000) ^ 0x9e3779b9) | 1;
    let present = true;
    for (let i = 0; i < this.hashes; i += 1) {
      const bit = h1 & this.mask;
      const word = bit >>> 5;
      const flag = 1 << (bit & 31);
      if ((this.bits[word]! & flag) === 0) {
        present = false;
        this.bits[word]! |= flag;
      }
      h1 = (h1 + h2) >>> 0;
    }
    return present;
  }
}

/** murmur3's 32-bit finalizer: spreads every input bit over the whole word. */
function mix(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
