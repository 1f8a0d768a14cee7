// An open-addressing hash table from 64-bit token keys (two uint32 halves) to entry numbers, with a
// record of numbers per entry. Written by hand because scoring looks up every token of every
// comment: a Map keyed by strings would need a string per token, and numbers above 31 bits are
// boxed (allocated) on every lookup. A site's model has up to hundreds of thousands of tokens, so
// the table is megabytes and each lookup a likely cache miss: what a lookup touches is packed.
// A slot holds the first key half and the entry (8 bytes, 8 slots per cache line, so a probe
// sequence rarely leaves its line); the second half lives in the entry's record, next to the
// numbers the scorer reads for a found token, so a hit costs the slot's line and the record's
// line, and a miss (most tokens of a comment are absent or weak) only the slot's. Filled once
// when a scorer is compiled; never changed after.

/** Uint32s per slot: key half 1, entry + 1 (0: empty). */
const SLOT = 2;
/** Bytes per record: three float64 values, then key half 2 (uint32) and 4 bytes to align. */
const RECORD_BYTES = 32;
/** Float64s per record. */
export const RECORD_F64 = RECORD_BYTES / 8;
/** Uint32s per record, and where key half 2 sits among them. */
const RECORD_U32 = RECORD_BYTES / 4;
const H2_AT = 6;

export class TokenTable {
  private readonly mask: number;
  private readonly slots: Uint32Array;
  /** Each entry's record as float64s: values 0-2 are the caller's (entry e at e * RECORD_F64). */
  readonly values: Float64Array;
  /** The same records as uint32s (key half 2). */
  private readonly words: Uint32Array;

  constructor(entries: number) {
    // Load factor at most 1/2: a lookup of an absent key (most tokens) ends after a probe or two.
    let size = 16;
    while (size < entries * 2) size *= 2;
    this.mask = size - 1;
    this.slots = new Uint32Array(size * SLOT);
    // Record 0 is a blank one that an empty slot (entry + 1 = 0) points at, so `findAll` can read the
    // record a slot names without a branch; entry e's record is record e + 1.
    const records = new ArrayBuffer((Math.max(entries, 1) + 1) * RECORD_BYTES);
    this.values = new Float64Array(records, RECORD_BYTES);
    this.words = new Uint32Array(records);
  }

  /** Adds a key for `entry` (below the table's size, each used once); false when the key is already there (the first entry stays). */
  insert(h1: number, h2: number, entry: number): boolean {
    const s = this.slots;
    const w = this.words;
    let i = h1 & this.mask;
    for (;;) {
      const at = i * SLOT;
      const slot = s[at + 1]!;
      if (slot === 0) {
        s[at] = h1;
        s[at + 1] = entry + 1;
        w[(entry + 1) * RECORD_U32 + H2_AT] = h2;
        return true;
      }
      if (s[at] === h1 && w[slot * RECORD_U32 + H2_AT] === h2) return false;
      i = (i + 1) & this.mask;
    }
  }

  /** The entry of a key, or -1. */
  find(h1: number, h2: number): number {
    const s = this.slots;
    let i = h1 & this.mask;
    for (;;) {
      const at = i * SLOT;
      const slot = s[at + 1]!;
      if (slot === 0) return -1;
      if (s[at] === h1 && this.words[slot * RECORD_U32 + H2_AT] === h2) return slot - 1;
      i = (i + 1) & this.mask;
    }
  }

  /**
   * The entries of `count` keys (or -1 each) into `out`. A comment's keys are looked up in two
   * passes: the first reads each key's home slot and the record it names, with no branch on what
   * it reads, so the processor has many of these cache misses in flight at once instead of one
   * after another; the second is `find` on lines that are now in the cache.
   */
  findAll(h1: Uint32Array, h2: Uint32Array, count: number, out: Int32Array): void {
    const s = this.slots;
    const w = this.words;
    const mask = this.mask;
    let touched = 0;
    for (let i = 0; i < count; i++) {
      const at = (h1[i]! & mask) * SLOT;
      // A slot holding another key's first half names a record this key never needs: skip it.
      touched ^= w[(s[at] === h1[i] ? s[at + 1]! : 0) * RECORD_U32 + H2_AT]!;
    }
    this.touched = touched;
    for (let i = 0; i < count; i++) out[i] = this.find(h1[i]!, h2[i]!);
  }

  /** What the first pass of `findAll` read, kept so the reads are not optimised away. */
  touched = 0;
}
