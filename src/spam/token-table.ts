// An open-addressing hash table from 64-bit token keys (two uint32 halves) to entry numbers, in
// typed arrays. Written by hand because scoring looks up every token of every comment: a Map keyed
// by strings would need a string per token, and numbers above 31 bits are boxed (allocated) on
// every lookup. Filled once when a scorer is compiled; never changed after.

export class TokenTable {
  private readonly mask: number;
  private readonly keys1: Uint32Array;
  private readonly keys2: Uint32Array;
  /** Entry number + 1 per slot; 0 is an empty slot. */
  private readonly slots: Int32Array;

  constructor(entries: number) {
    // Load factor at most 1/2: a lookup of an absent key (most tokens) ends after a probe or two.
    let size = 16;
    while (size < entries * 2) size *= 2;
    this.mask = size - 1;
    this.keys1 = new Uint32Array(size);
    this.keys2 = new Uint32Array(size);
    this.slots = new Int32Array(size);
  }

  /** Adds a key; false when it is already there (the first entry stays). */
  insert(h1: number, h2: number, entry: number): boolean {
    let i = h1 & this.mask;
    while (this.slots[i] !== 0) {
      if (this.keys1[i] === h1 && this.keys2[i] === h2) return false;
      i = (i + 1) & this.mask;
    }
    this.keys1[i] = h1;
    this.keys2[i] = h2;
    this.slots[i] = entry + 1;
    return true;
  }

  /** The entry of a key, or -1. */
  find(h1: number, h2: number): number {
    let i = h1 & this.mask;
    for (;;) {
      const slot = this.slots[i]!;
      if (slot === 0) return -1;
      if (this.keys1[i] === h1 && this.keys2[i] === h2) return slot - 1;
      i = (i + 1) & this.mask;
    }
  }
}
