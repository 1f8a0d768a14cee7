// Quick "surely not" tests that spare the matcher most trie walks: a comment has thousands of
// positions and almost none can start a dictionary word.
import { SPACE, WILD, type TextStream } from './stream.ts';

const A = 0x61;
const isAz = (c: number) => c >= A && c <= 0x7a;
/** Index of three a-z letters (five bits each). */
const tri = (c1: number, c2: number, c3: number) => ((c1 - A) << 10) | ((c2 - A) << 5) | (c3 - A);

/**
 * A quick "surely not" before walking a trie: the first three distinct letters of every word
 * ("fuuuck" → f, u, c), for plain a-z text. Anything else (digits read as letters, look-alikes,
 * hidden letters, other scripts) is always walked.
 */
export class StartFilter {
  private readonly starts3 = new Uint8Array(1 << 15);
  /** Words whose first word has two distinct letters ("ass"): any text word starting so is walked. */
  private readonly starts2 = new Uint8Array(1 << 10);
  /** Words of one letter repeated. */
  private readonly starts1 = new Uint8Array(32);

  add(codes: readonly number[]): void {
    const runs: number[] = [];
    for (const c of codes) {
      if (c === SPACE) break;
      if (runs[runs.length - 1] !== c) runs.push(c);
      if (runs.length === 3) break;
    }
    const [c1, c2, c3] = runs;
    if (c1 === undefined || !isAz(c1)) return;
    if (c2 === undefined) this.starts1[c1 - A] = 1;
    else if (!isAz(c2)) return;
    else if (c3 === undefined) this.starts2[((c1 - A) << 5) | (c2 - A)] = 1;
    else if (isAz(c3)) this.starts3[tri(c1, c2, c3)] = 1;
  }

  /** False when no word can start at position `first` of a text word ending at `end`. */
  mayStart(s: TextStream, first: number, end: number): boolean {
    const code = s.code;
    const alt = s.alt;
    const c1 = code[first]!;
    if (!isAz(c1) || alt[first] !== 0 || this.starts1[c1 - A] === 1) return true;
    let q = first + 1;
    while (q < end && code[q] === c1) q++;
    if (q === end) return false;
    const c2 = code[q]!;
    if (!isAz(c2) || alt[q] !== 0 || this.starts2[((c1 - A) << 5) | (c2 - A)] === 1) return true;
    let r = q + 1;
    while (r < end && code[r] === c2) r++;
    if (r === end) return false;
    const c3 = code[r]!;
    if (!isAz(c3) || alt[r] !== 0) return true;
    return this.starts3[tri(c1, c2, c3)] === 1;
  }
}

