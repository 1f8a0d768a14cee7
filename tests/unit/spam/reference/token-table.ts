// FROZEN COPY (tests only) of the scorer as it was before the throughput work of issue 16: the
// reference the optimised src/spam code must match score for score and token for token
// (tests/unit/spam/scorer-equivalence.test.ts). Never edited but for dropping what no test uses;
// delete it with that test.
// An open-addressing hash table from 64-bit token keys (two uint32 halves) to entry numbers, in one
// typed array. Written by hand because scoring looks up every token of every comment: a Map keyed
// by strings would need a string per token, and numbers above 31 bits are boxed (allocated) on
// every lookup. Each slot keeps its two key halves and its entry side by side, so a probe touches
// one cache line. Filled once when a scorer is compiled; never changed after.

/** Uint32s per slot: key half 1, key half 2, entry + 1 (0: empty). */
const SLOT = 3;

export class TokenTable {
  private readonly mask: number;
  private readonly slots: Uint32Array;

  constructor(entries: number) {
    // Load factor at most 1/2: a lookup of an absent key (most tokens) ends after a probe or two.
    let size = 16;
    while (size < entries * 2) size *= 2;
    this.mask = size - 1;
    this.slots = new Uint32Array(size * SLOT);
  }

  /** Adds a key; false when it is already there (the first entry stays). */
  insert(h1: number, h2: number, entry: number): boolean {
    const s = this.slots;
    let i = h1 & this.mask;
    for (;;) {
      const at = i * SLOT;
      if (s[at + 2] === 0) {
        s[at] = h1;
        s[at + 1] = h2;
        s[at + 2] = entry + 1;
        return true;
      }
      if (s[at] === h1 && s[at + 1] === h2) return false;
      i = (i + 1) & this.mask;
    }
  }

  /** The entry of a key, or -1. */
  find(h1: number, h2: number): number {
    const s = this.slots;
    let i = h1 & this.mask;
    for (;;) {
      const at = i * SLOT;
      const slot = s[at + 2]!;
      if (slot === 0) return -1;
      if (s[at] === h1 && s[at + 1] === h2) return slot - 1;
      i = (i + 1) & this.mask;
    }
  }
}
