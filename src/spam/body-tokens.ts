// Reads a comment body into tokens in one pass over its character codes, building no strings
// unless labels are asked for (training). Tokens:
//   - words of 2-24 folded characters: "free", "$50", "don't" (labels are the words themselves);
//   - the plain reading of a disguised word, so it meets the evidence of the word it imitates:
//     "v1agr@" -> "viagra", "freeeee" -> "free", "c.i.a.l.i.s" / "f r e e" -> "cialis" / "free";
//   - character 4-grams ("g:^via", "g:viag", …, "g:gra$") of those readings (mode "disguised")
//     or of every word (mode "all"), so a new disguise shares parts with known ones;
//   - "x:long:N" for a word longer than 24 characters (base64, hashes, glued URLs), as SpamBayes does.
import { classOf, codeOf, DIGIT, DROP, foldUnit, JOINER, LEET, LEET_TABLE, LETTER, UPPER_FLAG } from './char-fold.ts';
import { finish, H1_SEED, H2_SEED, labelKey, step1, step2, type TokenBuffer } from './token-keys.ts';

export type NgramMode = 'none' | 'disguised' | 'all';

const MIN_WORD = 2;
const MAX_WORD = 24;
const GRAM = 4;
const CARET = 0x5e;
const DOLLAR_END = 0x24;
const NEWLINE = 0x0a;
/** Single letters in a row before they read as one spaced-out word ("f r e e"). */
const MIN_SPACED = 4;

const ASCII = Int32Array.from({ length: 128 }, (_, c) => foldUnit(c));
const G_PREFIX = [0x67, 0x3a]; // "g:"

export interface BodyStats {
  letters: number;
  upper: number;
}

/** The "x:long:N" labels a word longer than MAX_WORD can get, and their keys. */
const longLabel = (len: number) => `x:long:${Math.min(Math.floor(len / 10) * 10, 50)}`;
const LONG_KEYS = new Map([20, 30, 40, 50].map((n) => [longLabel(n), labelKey(longLabel(n))]));
/** The hash states after "b:", where every word pair's key starts. */
const B1 = step1(step1(H1_SEED, 0x62), 0x3a);
const B2 = step2(step2(H2_SEED, 0x62), 0x3a);

export class BodyTokenizer {
  private readonly word = new Uint16Array(MAX_WORD + 1);
  private readonly raw = new Uint8Array(MAX_WORD + 1); // the class of each character of `word`
  private readonly reading = new Uint16Array(MAX_WORD + 2);
  private readonly gram = new Uint16Array(MAX_WORD + 2);
  private readonly spaced = new Uint16Array(MAX_WORD);
  private spacedLen = 0;
  /** The separator after the last word, and the one that joins the current run of single letters. */
  private lastSeparator = 0;
  private spacedSeparator = 0;
  private out!: TokenBuffer;

  /** The previous word (its codes kept only when labels are written) and its length, for word pairs. */
  private readonly prev = new Uint16Array(MAX_WORD + 1);
  private prevLen = 0;
  /** The hash states after "b:" + the previous word + " ": the next pair's key continues from them. */
  private pair1 = 0;
  private pair2 = 0;
  private readonly bigrams: boolean;
  private readonly caps: boolean;
  private readonly numberShapes: boolean;

  constructor(
    private readonly ngrams: NgramMode,
    extra: { bigrams?: boolean; caps?: boolean; numberShapes?: boolean } = {},
  ) {
    this.bigrams = extra.bigrams ?? false;
    this.caps = extra.caps ?? false;
    this.numberShapes = extra.numberShapes ?? false;
  }

  /** Adds the body's tokens to `out` (duplicates included) and counts its letters into `stats`. */
  tokenize(body: string, out: TokenBuffer, stats: BodyStats): void {
    this.out = out;
    this.spacedLen = 0;
    this.prevLen = 0;
    // The word being read lives in locals (the hot loop); endWord gets what it needs of it.
    const word = this.word;
    const raw = this.raw;
    let len = 0;
    let gap = 2;
    let separator = this.lastSeparator;
    let wordLetters = 0;
    let wordUpper = 0;
    /** Whether the word has a character three times in a row ("freeee"): a possible disguise. */
    let run = 0;
    let triple = false;
    let letters = stats.letters;
    let upper = stats.upper;
    for (let i = 0; i < body.length; i++) {
      const c = body.charCodeAt(i);
      const packed = c < 128 ? ASCII[c]! : foldUnit(c);
      const cls = classOf(packed);
      if (cls === LETTER || cls === DIGIT || (len > 0 && (cls === LEET || cls === JOINER)) || c === 0x24) {
        if (cls === LETTER) {
          letters++;
          wordLetters++;
          if (packed & UPPER_FLAG) {
            upper++;
            wordUpper++;
          }
        }
        if (len <= MAX_WORD) {
          const code = codeOf(packed);
          run = len > 0 && word[len - 1] === code ? run + 1 : 1;
          if (run >= 3) triple = true;
          word[len] = code;
          raw[len] = cls;
        }
        len++;
      } else if (cls !== DROP) {
        if (len > 0) {
          this.endWord(len, wordLetters, wordUpper === wordLetters && wordLetters >= 3, triple, gap, separator);
          len = 0;
          wordLetters = 0;
          wordUpper = 0;
          triple = false;
          gap = 0;
        }
        gap += c === NEWLINE ? 2 : 1;
        separator = c;
      }
    }
    if (len > 0) this.endWord(len, wordLetters, wordUpper === wordLetters && wordLetters >= 3, triple, gap, separator);
    this.endSpaced();
    this.lastSeparator = separator;
    stats.letters = letters;
    stats.upper = upper;
  }

  /**
   * The tokens of the word just read (`len` characters, `letters` of them letters; `upper`: all in
   * capitals; `triple`: a character three times in a row; `gap`: the separators before it, a newline
   * counting two; `separator`: the last of them).
   */
  private endWord(
    length: number,
    letters: number,
    upper: boolean,
    triple: boolean,
    gap: number,
    separator: number,
  ): void {
    let len = length;
    if (len > MAX_WORD) {
      this.endSpaced();
      const label = longLabel(len);
      const [h1, h2] = LONG_KEYS.get(label)!;
      this.out.push(h1, h2);
      this.out.labels?.push(label);
      return;
    }
    // Punctuation after a word is no part of it ("free!", "e-"); "@" and "$" may be ("v1agr@").
    while (len > 0 && (this.raw[len - 1] === JOINER || this.word[len - 1] === 0x21 || this.word[len - 1] === 0x7c))
      len--;
    if (len === 0) return;
    if (len === 1) {
      if (this.raw[0] !== LETTER) {
        this.endSpaced();
        return;
      }
      // One run uses one separator: "c.i.a.l.i.s f r e e" is two words, not "cialisfree".
      const joined = gap === 1 && (this.spacedLen < 2 || separator === this.spacedSeparator);
      if (this.spacedLen > 0 && !joined) this.endSpaced();
      if (this.spacedLen === 1) this.spacedSeparator = separator;
      if (this.spacedLen < MAX_WORD) this.spaced[this.spacedLen++] = this.word[0]!;
      return;
    }
    this.endSpaced();
    if (this.numberShapes) this.shapeNumber(len);
    this.emitWord(len, upper);
    // Plain words (letters only, no long runs) are no disguise: most words skip the second pass.
    const readingLen = letters === len && !triple ? 0 : this.readDisguise(len);
    if (readingLen >= MIN_WORD) {
      this.emit(this.reading, readingLen);
      if (this.ngrams !== 'none') this.emitGrams(this.reading, readingLen);
    } else if (this.ngrams === 'all') this.emitGrams(this.word, len);
  }

  /**
   * The word, then "u:word" when it is written in capitals, then the pair "b:previous word": one
   * pass over the word computes the word's key, the pair's (continuing from the previous word's
   * state) and the state the next pair continues from.
   */
  private emitWord(len: number, upper: boolean): void {
    const w = this.word;
    const out = this.out;
    let h1 = H1_SEED;
    let h2 = H2_SEED;
    if (!this.bigrams) {
      for (let i = 0; i < len; i++) {
        h1 = step1(h1, w[i]!);
        h2 = step2(h2, w[i]!);
      }
      out.push(finish(h1, len), finish(h2, len));
      out.labels?.push(String.fromCharCode(...w.subarray(0, len)));
      if (this.caps && upper) this.emitPrefixed(0x75, w, len, null, 0);
      return;
    }
    let b1 = this.pair1;
    let b2 = this.pair2;
    let n1 = B1;
    let n2 = B2;
    for (let i = 0; i < len; i++) {
      const c = w[i]!;
      h1 = step1(h1, c);
      h2 = step2(h2, c);
      b1 = step1(b1, c);
      b2 = step2(b2, c);
      n1 = step1(n1, c);
      n2 = step2(n2, c);
    }
    out.push(finish(h1, len), finish(h2, len));
    out.labels?.push(String.fromCharCode(...w.subarray(0, len)));
    if (this.caps && upper) this.emitPrefixed(0x75, w, len, null, 0);
    const prevLen = this.prevLen;
    if (prevLen > 0) {
      const pairLen = prevLen + len + 3;
      out.push(finish(b1, pairLen), finish(b2, pairLen));
      out.labels?.push(
        `b:${String.fromCharCode(...this.prev.subarray(0, prevLen))} ${String.fromCharCode(...w.subarray(0, len))}`,
      );
    }
    this.pair1 = step1(n1, 0x20);
    this.pair2 = step2(n2, 0x20);
    if (out.labels) for (let i = 0; i < len; i++) this.prev[i] = w[i]!;
    this.prevLen = len;
  }

  /** "2002", "$250": digits become "#", so dates and prices generalise ("####", "$###"). */
  private shapeNumber(len: number): void {
    for (let i = 0; i < len; i++) if (this.raw[i] !== DIGIT && !(i === 0 && this.word[0] === 0x24)) return;
    for (let i = 0; i < len; i++) if (this.raw[i] === DIGIT) this.word[i] = 0x23;
  }

  /** The plain reading of a disguised word into `reading`; 0 when the word is no disguise. */
  private readDisguise(len: number): number {
    let letters = 0;
    let masks = 0;
    let joiners = 0;
    let run = 1;
    let maxRun = 1;
    for (let i = 0; i < len; i++) {
      const cls = this.raw[i];
      if (cls === LETTER) letters++;
      else if (cls === JOINER) joiners++;
      else masks++;
      run = i > 0 && this.word[i] === this.word[i - 1] ? run + 1 : 1;
      if (run > maxRun) maxRun = run;
    }
    // Short words and numbers ("www", "mp3", "1000", "$50") are no disguise.
    if (letters < 2 || len < 4) return 0;
    const masked = masks > 0;
    // "v-i-a-g-r-a": letters split by joiners, every part one letter long.
    const split = joiners >= 2 && letters === len - joiners && len === 2 * letters - 1;
    if (!masked && !split && maxRun < 3) return 0;
    let n = 0;
    let changed = false;
    for (let i = 0; i < len; i++) {
      const cls = this.raw[i];
      if (cls === JOINER) {
        changed = true;
        continue;
      }
      const code = cls === LETTER ? this.word[i]! : this.word[i]! < 128 ? LEET_TABLE[this.word[i]!]! : 0;
      if (code === 0) return 0; // "b2b", "win98": digits that read as no letter; not a disguise
      // Runs of three or more collapse to two letters: "freeeee" -> "free".
      if (n >= 1 && this.reading[n - 1] === code && i >= 2 && this.word[i - 1] === this.word[i - 2]) {
        changed = true;
        continue;
      }
      if (code !== this.word[i]) changed = true;
      this.reading[n++] = code;
    }
    return changed ? n : 0;
  }

  private endSpaced(): void {
    const n = this.spacedLen;
    this.spacedLen = 0;
    if (n < MIN_SPACED) return;
    this.emit(this.spaced, n);
    if (this.ngrams !== 'none') this.emitGrams(this.spaced, n);
  }

  private emit(codes: Uint16Array, len: number): void {
    let h1 = H1_SEED;
    let h2 = H2_SEED;
    for (let i = 0; i < len; i++) {
      h1 = step1(h1, codes[i]!);
      h2 = step2(h2, codes[i]!);
    }
    this.out.push(finish(h1, len), finish(h2, len));
    this.out.labels?.push(String.fromCharCode(...codes.subarray(0, len)));
  }

  /** "u:word" (written in capitals) or "b:first second" (a word pair). */
  private emitPrefixed(prefix: number, a: Uint16Array, aLen: number, b: Uint16Array | null, bLen: number): void {
    let h1 = step1(step1(H1_SEED, prefix), 0x3a);
    let h2 = step2(step2(H2_SEED, prefix), 0x3a);
    for (let i = 0; i < aLen; i++) {
      h1 = step1(h1, a[i]!);
      h2 = step2(h2, a[i]!);
    }
    let len = aLen + 2;
    if (b) {
      h1 = step1(h1, 0x20);
      h2 = step2(h2, 0x20);
      for (let i = 0; i < bLen; i++) {
        h1 = step1(h1, b[i]!);
        h2 = step2(h2, b[i]!);
      }
      len += bLen + 1;
    }
    this.out.push(finish(h1, len), finish(h2, len));
    if (this.out.labels) {
      const first = String.fromCharCode(...a.subarray(0, aLen));
      const tail = b ? ` ${String.fromCharCode(...b.subarray(0, bLen))}` : '';
      this.out.labels.push(`${String.fromCharCode(prefix)}:${first}${tail}`);
    }
  }

  /** 4-grams of "^word$", each labelled "g:…". */
  private emitGrams(codes: Uint16Array, len: number): void {
    if (len < GRAM - 1) return;
    const g = this.gram;
    g[0] = CARET;
    g.set(codes.subarray(0, len), 1);
    g[len + 1] = DOLLAR_END;
    const total = len + 2;
    for (let start = 0; start + GRAM <= total; start++) {
      let h1 = step1(step1(H1_SEED, G_PREFIX[0]!), G_PREFIX[1]!);
      let h2 = step2(step2(H2_SEED, G_PREFIX[0]!), G_PREFIX[1]!);
      for (let i = start; i < start + GRAM; i++) {
        h1 = step1(h1, g[i]!);
        h2 = step2(h2, g[i]!);
      }
      this.out.push(finish(h1, GRAM + 2), finish(h2, GRAM + 2));
      this.out.labels?.push(`g:${String.fromCharCode(...g.subarray(start, start + GRAM))}`);
    }
  }
}
