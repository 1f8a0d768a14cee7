// Tokenizer for the profanity matcher: one pass over the text, folding each character (char-fold.ts)
// and grouping letters into words, with no allocation per comment: it runs on every comment and must
// take microseconds.
//
// Inside a word, digits and symbols read as letters ("sh1t", "a$$") unless the word has no letter
// at all (numbers such as "455" stay numbers). Three or more single letters split by the same short
// separator are joined into one word ("f.u.c.k", "f u c k", "f-u-c-k"; not "e.g. U").
import {
  ASCII_FOLD,
  DIGIT,
  DROP,
  EXPAND,
  expansionOf,
  foldCodePoint,
  LEET_SYMBOL,
  LETTER,
  LETTER_ALTERNATIVES_TABLE,
  leetAlternativeLetter,
  leetLetter,
  letterAlternative,
  SEPARATOR,
  WILDCARD,
} from './char-fold.ts';
import { grow, SPACE, type TextStream, VOWEL_FLAG, WILD } from './stream.ts';

const BANG = 0x21;
const PIPE = 0x7c;
const NEWLINE = 0x0a;
/** Single letters joined into a word may be this far apart (separator characters). */
const MAX_JOIN_GAP = 3;
const MIN_JOIN_LETTERS = 3;
const isVowel = (c: number) => c === 0x61 || c === 0x65 || c === 0x69 || c === 0x6f || c === 0x75;

export class Tokenizer {
  s: TextStream = {
    length: 0,
    text: '',
    code: new Uint16Array(512),
    alt: new Uint16Array(512),
    start: new Int32Array(512),
    joined: new Uint32Array(512),
    generation: 0,
  };

  // The word being read (see run() for the hot copies): where it starts in the stream, and the stream
  // length after its last character that is not "!", "|" or "*" (those at the end are punctuation:
  // "hell!", "*really*"). Counts of digits, symbols and hidden letters (the rest are letters).
  private inWord = false;
  private tokStart = 0;
  private lastSolid = 0;
  private digits = 0;
  private symbols = 0;
  private wild = 0;

  // One-letter words waiting to be joined: where the first sits in the stream, how many, their gap.
  private groupStart = -1;
  private groupCount = 0;
  private groupHasLetter = false;
  private groupGapLen = -1;
  private groupGapHash = 0;
  private lastMemberIsLetter = false;

  run(text: string): TextStream {
    const s = this.s;
    if (s.code.length < text.length + 8) this.reserve(text.length + 8);
    s.text = text;
    s.generation = (s.generation + 1) >>> 0 || 1;
    this.groupStart = -1;
    this.groupCount = 0;
    let code = s.code;
    let alt = s.alt;
    let start = s.start;
    // Hot state in locals. The usual word (ASCII letters between ASCII separators) never leaves this
    // loop; anything else goes through feed()/endWord() with the state written back and read again.
    let len = 0;
    let inWord = false;
    let plain = true;
    let tokStart = 0;
    let lastSolid = 0;
    const asciiFold = ASCII_FOLD;
    const alternatives = LETTER_ALTERNATIVES_TABLE;
    const n = text.length;
    for (let i = 0; i < n; ) {
      let cp = text.charCodeAt(i);
      let width = 1;
      let packed: number;
      if (cp < 128) {
        packed = asciiFold[cp]!;
        const cls = packed >>> 16;
        if (cls === LETTER && len < code.length) {
          if (!inWord) {
            inWord = true;
            plain = true;
            tokStart = len;
            this.digits = this.symbols = this.wild = 0;
          }
          const c = packed & 0xffff;
          code[len] = c;
          alt[len] = alternatives[c]!;
          start[len] = i;
          lastSolid = ++len;
          i++;
          continue;
        }
        if (
          cls === SEPARATOR &&
          (!inWord || (plain && lastSolid === len && len - tokStart > 1 && this.groupCount === 0 && len < code.length))
        ) {
          if (inWord) {
            code[len] = SPACE;
            alt[len] = 0;
            start[len] = i;
            len++;
            inWord = false;
          }
          i++;
          continue;
        }
      } else {
        if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < n) {
          const low = text.charCodeAt(i + 1);
          if (low >= 0xdc00 && low <= 0xdfff) {
            cp = ((cp - 0xd800) << 10) + (low - 0xdc00) + 0x10000;
            width = 2;
          }
        }
        packed = foldCodePoint(cp);
      }
      const cls = packed >>> 16;
      if (cls !== DROP) {
        s.length = len;
        this.inWord = inWord;
        this.tokStart = tokStart;
        this.lastSolid = lastSolid;
        if (cls === EXPAND) {
          for (const part of expansionOf(cp)) if (part >>> 16 !== DROP) this.feed(part, i);
        } else {
          this.feed(packed, i);
        }
        len = s.length;
        // A word that went through feed() is no longer plain ASCII letters.
        if (this.inWord) plain = false;
        inWord = this.inWord;
        tokStart = this.tokStart;
        lastSolid = this.lastSolid;
        code = s.code;
        alt = s.alt;
        start = s.start;
      }
      i += width;
    }
    s.length = len;
    this.inWord = inWord;
    this.tokStart = tokStart;
    this.lastSolid = lastSolid;
    if (inWord) this.endWord(n);
    this.flushGroup();
    if (s.length > 0 && s.code[s.length - 1] === SPACE) s.length--;
    return s;
  }

  private reserve(min: number): void {
    const s = this.s;
    s.code = grow(s.code, min);
    s.alt = grow(s.alt, min);
    s.start = grow(s.start, min);
    s.joined = grow(s.joined, min);
  }

  private push(code: number, alt: number, start: number): void {
    const s = this.s;
    if (s.length >= s.code.length) this.reserve(s.length + 1);
    const k = s.length++;
    s.code[k] = code;
    s.alt[k] = alt;
    s.start[k] = start;
  }

  private feed(packed: number, start: number): void {
    const cls = packed >>> 16;
    const code = packed & 0xffff;
    if (cls === LETTER || cls === DIGIT || cls === LEET_SYMBOL || cls === WILDCARD) {
      const edge = cls === WILDCARD || (cls === LEET_SYMBOL && (code === BANG || code === PIPE));
      if (!this.inWord) {
        if (edge) return; // leading "!" or "*": punctuation or emphasis ("*really*")
        this.inWord = true;
        this.tokStart = this.s.length;
        this.digits = this.symbols = this.wild = 0;
      }
      if (cls === LETTER) {
        this.push(code, letterAlternative(code), start);
      } else if (cls === WILDCARD) {
        this.push(WILD, 0, start);
        this.wild++;
      } else {
        const letter = leetLetter(code) || code;
        this.push(letter, leetAlternativeLetter(code) | (isVowel(letter) ? VOWEL_FLAG : 0), start);
        if (cls === DIGIT) this.digits++;
        else this.symbols++;
      }
      if (!edge) this.lastSolid = this.s.length;
      return;
    }
    if (this.inWord) this.endWord(start);
  }

  /** Ends the word being read; `at` is where the text after it starts (the separator's offset). */
  private endWord(at: number): void {
    const s = this.s;
    this.inWord = false;
    // Trailing "!", "|", "*" are punctuation ("shit!!!"); the word never starts with one.
    for (let k = this.lastSolid; k < s.length; k++) {
      if (s.code[k] === WILD) this.wild--;
      else this.symbols--;
    }
    s.length = this.lastSolid;
    const len = s.length - this.tokStart;
    const letters = len - this.digits - this.symbols - this.wild;
    // Numbers ("455", "$100", "4:20") are not words; a lone digit may still be a letter between
    // separators ("5 h 1 t"), and symbols alone ("@$$") remain.
    if (len > 1 && letters === 0 && this.digits > 0) {
      s.length = this.tokStart;
      this.flushGroup();
      return;
    }
    if (len === 1) {
      this.addToGroup(letters > 0);
      this.push(SPACE, 0, at);
      return;
    }
    if (this.wild > 0 && this.isStarSeparated(len)) {
      // "f*u*c*k": the asterisks separate letters rather than hide them.
      const t = this.tokStart;
      for (let k = 0; 2 * k < len; k++) this.copy(t + 2 * k, t + k, 1);
      s.length = t + Math.ceil(len / 2);
      s.joined.fill(s.generation, t, s.length);
    }
    this.flushGroup();
    this.push(SPACE, 0, at);
  }

  private isStarSeparated(len: number): boolean {
    if (len < 2 * MIN_JOIN_LETTERS - 1 || len % 2 === 0) return false;
    const code = this.s.code;
    for (let k = 0; k < len; k++) if ((code[this.tokStart + k] === WILD) !== (k % 2 === 1)) return false;
    return true;
  }

  /**
   * The separators between the word at `tokStart` and the one before it, read again from the
   * original text (only one-letter words need this): length, hash, or -1 when too long or across lines.
   */
  private gapBefore(tokStart: number): { length: number; hash: number } {
    const s = this.s;
    if (tokStart < 2 || s.code[tokStart - 1] !== SPACE) return { length: -1, hash: 0 };
    const from = s.start[tokStart - 1]!;
    const to = s.start[tokStart]!;
    if (to - from > MAX_JOIN_GAP * 4) return { length: -1, hash: 0 };
    let length = 0;
    let hash = 0;
    for (let i = from; i < to; i++) {
      const u = s.text.charCodeAt(i);
      if (u === NEWLINE) return { length: -1, hash: 0 };
      const packed = foldCodePoint(u);
      if (packed >>> 16 === DROP) continue;
      length++;
      hash = (hash * 31 + (packed & 0xffff)) | 0;
    }
    return length > MAX_JOIN_GAP ? { length: -1, hash: 0 } : { length, hash };
  }

  private addToGroup(isLetter: boolean): void {
    const gap = this.gapBefore(this.tokStart);
    const validGap = gap.length >= 0;
    const adjacent = this.groupCount > 0 && this.tokStart === this.groupStart + 2 * this.groupCount;
    const sameGap = this.groupGapLen === gap.length && this.groupGapHash === gap.hash;
    if (adjacent && validGap && this.groupCount === 2 && !sameGap) {
      // "x f.u.c.k": the gap changed after two letters, so the second starts a new group with this one.
      const lastWasLetter = this.lastMemberIsLetter;
      this.groupCount--;
      const shift = this.flushGroup();
      this.tokStart -= shift;
      this.groupStart = this.tokStart - 2;
      this.groupCount = 1;
      this.groupHasLetter = lastWasLetter;
      this.groupGapLen = gap.length;
      this.groupGapHash = gap.hash;
    } else if (!adjacent || !validGap || (this.groupGapLen !== -1 && !sameGap)) {
      this.tokStart -= this.flushGroup();
      this.groupStart = this.tokStart;
      this.groupCount = 0;
      this.groupHasLetter = false;
      this.groupGapLen = -1;
    } else if (this.groupGapLen === -1) {
      this.groupGapLen = gap.length;
      this.groupGapHash = gap.hash;
    }
    this.groupCount++;
    this.lastMemberIsLetter = isLetter;
    if (isLetter) this.groupHasLetter = true;
  }

  /**
   * Joins a finished group of three or more one-letter words: "f u c k" → "fuck". Returns how far
   * whatever followed the group moved left.
   */
  private flushGroup(): number {
    const count = this.groupCount;
    const first = this.groupStart;
    this.groupCount = 0;
    this.groupStart = -1;
    if (count < MIN_JOIN_LETTERS || !this.groupHasLetter) return 0;
    const s = this.s;
    // Members sit at first, first+2, … each followed by a space; whatever came after moves left.
    const groupEnd = first + 2 * count;
    const spaceAt = s.start[groupEnd - 1]!;
    for (let k = 0; k < count; k++) this.copy(first + 2 * k, first + k, 1);
    s.joined.fill(s.generation, first, first + count);
    const end = first + count;
    s.code[end] = SPACE;
    s.alt[end] = 0;
    s.start[end] = spaceAt;
    s.joined[end] = 0;
    const tail = s.length - groupEnd;
    if (tail > 0) this.copy(groupEnd, end + 1, tail);
    s.length = end + 1 + tail;
    return groupEnd - (end + 1);
  }

  private copy(from: number, to: number, n: number): void {
    const s = this.s;
    if (n === 1) {
      // Letters of a joined word move one at a time: four copyWithin calls each cost more than this.
      s.code[to] = s.code[from]!;
      s.alt[to] = s.alt[from]!;
      s.start[to] = s.start[from]!;
      s.joined[to] = s.joined[from]!;
      return;
    }
    s.code.copyWithin(to, from, from + n);
    s.alt.copyWithin(to, from, from + n);
    s.start.copyWithin(to, from, from + n);
    s.joined.copyWithin(to, from, from + n);
  }
}
