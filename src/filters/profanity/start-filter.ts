// Quick "surely not" tests that spare the matcher most trie walks: a comment has hundreds of
// positions and almost none can start a dictionary word.
import { SPACE, type TextStream } from './stream.ts';

const A = 0x61;
const isAz = (c: number) => c >= A && c <= 0x7a;
const pair = (c1: number, c2: number) => ((c1 - A) << 5) | (c2 - A);
const triple = (c1: number, c2: number, c3: number) => ((c1 - A) << 10) | ((c2 - A) << 5) | (c3 - A);

/**
 * Indexes dictionary words by their first three distinct letters ("fuuuck" → f, u, c) with the
 * fewest text positions such a word needs, so "and" is not walked for "andskota". Letters that may
 * stand for another ("1" for i or l, "v" for u) are tried both ways; anything outside a-z (other
 * scripts, hidden letters) is always walked.
 */
export class StartFilter {
  private readonly need3 = new Uint8Array(1 << 15);
  /** Words with two distinct letters in their first word ("ass"). */
  private readonly need2 = new Uint8Array(1 << 10);
  /** Words of one letter repeated. */
  private readonly need1 = new Uint8Array(32);

  /** `positions`: how many text positions the word's first word needs at least (one per run). */
  add(codes: readonly number[], positions: number): void {
    const runs: number[] = [];
    for (const c of codes) {
      if (c === SPACE) break;
      if (runs[runs.length - 1] !== c) runs.push(c);
      if (runs.length === 3) break;
    }
    const [c1, c2, c3] = runs;
    const need = Math.min(255, Math.max(1, positions));
    const note = (table: Uint8Array, index: number) => {
      table[index] = table[index] === 0 ? need : Math.min(table[index]!, need);
    };
    if (c1 === undefined || !isAz(c1)) return;
    if (c2 === undefined) note(this.need1, c1 - A);
    else if (!isAz(c2)) return;
    else if (c3 === undefined) note(this.need2, pair(c1, c2));
    else if (isAz(c3)) note(this.need3, triple(c1, c2, c3));
  }

  /** False when no word can start at position `first` of a text word ending at `end`. */
  mayStart(s: TextStream, first: number, end: number): boolean {
    const code = s.code;
    const alt = s.alt;
    const length = end - first;
    const c1 = code[first]!;
    let q = first + 1;
    while (q < end && code[q] === c1) q++;
    let r = q + 1;
    while (r < end && code[r] === code[q]) r++;
    if ((alt[first]! | (q < end ? alt[q]! : 0) | (r < end ? alt[r]! : 0)) === 0) {
      // The usual case: plain letters, one reading.
      if (!isAz(c1)) return true;
      if (fits(this.need1[c1 - A]!, length)) return true;
      if (q >= end) return false;
      const c2 = code[q]!;
      if (!isAz(c2)) return true;
      if (fits(this.need2[pair(c1, c2)]!, length)) return true;
      if (r >= end) return false;
      const c3 = code[r]!;
      return !isAz(c3) || fits(this.need3[triple(c1, c2, c3)]!, length);
    }
    return this.mayStartEitherWay(s, first, q, r, end);
  }

  /** As mayStart(), trying each reading of letters that may stand for two ("1", "v"). */
  private mayStartEitherWay(s: TextStream, first: number, q: number, r: number, end: number): boolean {
    const length = end - first;
    for (const x of [s.code[first]!, s.alt[first]!]) {
      if (x === 0) continue;
      if (!isAz(x) || fits(this.need1[x - A]!, length)) return true;
      if (q >= end) continue;
      for (const y of [s.code[q]!, s.alt[q]!]) {
        if (y === 0) continue;
        if (!isAz(y) || fits(this.need2[pair(x, y)]!, length)) return true;
        if (r >= end) continue;
        for (const z of [s.code[r]!, s.alt[r]!]) {
          if (z !== 0 && (!isAz(z) || fits(this.need3[triple(x, y, z)]!, length))) return true;
        }
      }
    }
    return false;
  }
}

const fits = (need: number, length: number) => need !== 0 && need <= length;
