// Finds dictionary words in a text, compiled once: two tries walked over the normalised stream.
// The main trie is walked from the start of each word; the inner trie (words that may sit inside
// longer words, see MatchMode) from inside words. Each match carries its span in the original text.
import type { DictionaryEntry, MatchMode } from './dictionary.ts';
import {
  ALT_LETTER,
  buildStream,
  codesToString,
  endOf,
  isJoined,
  normaliseWord,
  SPACE,
  type TextStream,
  VOWEL_FLAG,
  WILD,
} from './normalise.ts';
import { StartFilter } from './start-filter.ts';
import { childOf, type FlatTrie, symbolOf, TrieBuilder, toSymbols } from './trie.ts';
import { continuesProfanely, hasAccentedLetter, isWrittenOddly, MAX_REST } from './word-shape.ts';

export interface WordMatch {
  /** The dictionary word, normalised ("asshole" for "a$$hole"). */
  word: string;
  /** Span of the original text, UTF-16 offsets, end exclusive. */
  start: number;
  end: number;
}

const NO_MATCHES: readonly WordMatch[] = Object.freeze([]);

const MODE_CODE: Record<MatchMode, number> = { word: 0, prefix: 1, edges: 2, anywhere: 3 };
const WORD = 0;
const PREFIX = 1;
const EDGES = 2;
const ANYWHERE = 3;

const PLURAL_NONE = 0;
const PLURAL_S = 1;
const PLURAL_ES = 2;

/** Endings a word may carry after a root found at the end of a longer word ("bullshitting"). */
const ROOT_ENDINGS = new Set(['s', 'es', 'ed', 'er', 'ers', 'ing', 'ings', 'in', 'y', 'ey', 'ie', 'ies', 'z']);
/** A "*" stands for one letter; more than this many in one word is guessing, not reading. */
const MAX_WILDCARDS = 4;
const MIN_REAL_LETTERS_WITH_WILDCARDS = 2;

const LETTER_S = 0x73;
const VOWELS = [0x61, 0x65, 0x69, 0x6f, 0x75];
/** Roots this short at the start of a word need a profane rest of word (see word-shape.ts). */
const SHORT_ROOT = 5;
// Walk flags: a doubled letter taken as a single one; a vowel read as another vowel.
const LOOSE = 1;
const SWAPPED = 2;
/** Longest ending in ROOT_ENDINGS, and a plural's ("es"): rest-of-word scans stop past it. */
const MAX_ENDING = 4;
/** Safe words are at most this long; a longer text word is never one. */
const MAX_SAFE_WORD = 40;
const UNKNOWN = -1;

function pluralOf(codes: readonly number[]): number {
  const last = codes[codes.length - 1];
  const before = codes[codes.length - 2];
  if (last === undefined) return PLURAL_NONE;
  const sibilant =
    last === LETTER_S || last === 0x78 || last === 0x7a || (last === 0x68 && (before === 0x63 || before === LETTER_S));
  return sibilant ? PLURAL_ES : PLURAL_S;
}

interface Found {
  entry: number;
  first: number;
  last: number;
}

export class WordMatcher {
  private readonly main: FlatTrie;
  private readonly inner: FlatTrie;
  private readonly words: string[] = [];
  private readonly mode: number[] = [];
  private readonly loose: boolean[] = [];
  private readonly joinedOnly: boolean[] = [];
  private readonly plural: number[] = [];
  private readonly notInNames: boolean[] = [];
  private readonly foreign: boolean[] = [];
  private readonly shortRoot: boolean[] = [];
  private readonly safe: Set<string>;
  /** 1 for letters an inner word can start with: most positions inside words are skipped at once. */
  private readonly innerStart = new Uint8Array(0x10000);
  /** The fewest text positions any word needs: shorter text words are not walked. */
  private readonly minLength: number;
  /** Likewise for words inside longer words, which need at least one more position before them. */
  private readonly minInnerLength: number;
  /** 1 for the first two letters (as written) of words that may sit inside longer words. */
  private readonly innerPairs = new Uint8Array(128 * 128);
  /** Quick "surely not" tests before walking the tries: most text positions fail them. */
  private readonly mainStarts = new StartFilter();
  private readonly innerStarts = new StartFilter();
  /** How many distinct words were compiled (duplicates after normalisation merge). */
  readonly size: number;

  // State of the current scan (the matcher is synchronous and not re-entrant).
  private s!: TextStream;
  private inName = false;
  private readonly found: Found[] = [];
  /**
   * Work done since the matcher was made (trie steps, and letters read again after a match), for
   * tests that check it stays in proportion to the text.
   */
  steps = 0;
  /** The text word being scanned: [wordFirst, wordStop) of the stream; every walk starts inside it. */
  private wordFirst = 0;
  private wordStop = 0;
  /** Whether that word is a safe word: computed once per word, at its first match (UNKNOWN until then). */
  private wordSafe = UNKNOWN;

  /** Safe words normalised once and shared by every matcher (the derived innocent words). */
  private readonly sharedSafe: ReadonlySet<string>;

  /**
   * `safeWords` are normalised here; `sharedSafe` must hold normalised words already, so a site's
   * matcher reuses the bundled set instead of normalising thousands of words again. With
   * `dropSafeWords`, words that are also safe words are left out (a site's exceptions).
   */
  constructor(
    words: readonly DictionaryEntry[],
    safeWords: Iterable<string>,
    sharedSafe: ReadonlySet<string> = new Set(),
    dropSafeWords = false,
  ) {
    this.sharedSafe = sharedSafe;
    this.safe = new Set([...safeWords].map((w) => codesToString(normaliseWord(w).codes)).filter(Boolean));
    let letters = 0;
    for (const w of words) letters += w.word.length;
    const main = new TrieBuilder(letters);
    const inner = new TrieBuilder();
    let minSymbols = Number.MAX_SAFE_INTEGER;
    let minInner = Number.MAX_SAFE_INTEGER;
    for (const w of words) {
      const { codes, joined } = normaliseWord(w.word);
      if (codes.length === 0 || codes.includes(WILD)) continue;
      if (dropSafeWords && this.safe.has(codesToString(codes))) continue;
      const symbols = toSymbols(codes);
      // Each step takes at least one position of text, so a word (or a phrase's first word) of k
      // steps needs a text word of k positions or more.
      const space = symbols.indexOf(symbolOf(SPACE, false));
      const firstWord = space === -1 ? symbols.length : space;
      minSymbols = Math.min(minSymbols, firstWord);
      this.mainStarts.add(codes, firstWord);
      if (MODE_CODE[w.mode] >= EDGES) {
        this.innerStarts.add(codes, symbols.length);
        this.noteInnerPair(codes);
        minInner = Math.min(minInner, symbols.length);
      }
      const index = this.words.length;
      const existing = main.add(symbols, index);
      if (existing >= 0) {
        // The same word listed twice ("fuck" and "f u c k"): keep the most permissive reading.
        if (MODE_CODE[w.mode] > this.mode[existing]!) this.mode[existing] = MODE_CODE[w.mode];
        this.loose[existing] ||= w.looseDoubles;
        this.joinedOnly[existing] &&= joined;
        this.notInNames[existing] &&= w.notInNames;
        this.foreign[existing] &&= w.foreign === true;
        if (this.mode[existing]! >= EDGES) {
          inner.add(symbols, existing);
          this.innerStarts.add(codes, symbols.length);
          this.noteInnerPair(codes);
          minInner = Math.min(minInner, symbols.length);
        }
        continue;
      }
      this.words.push(codesToString(codes));
      this.mode.push(MODE_CODE[w.mode]);
      this.loose.push(w.looseDoubles);
      this.joinedOnly.push(joined);
      this.plural.push(pluralOf(codes));
      this.notInNames.push(w.notInNames);
      this.foreign.push(w.foreign === true);
      if (MODE_CODE[w.mode] >= EDGES) inner.add(symbols, index);
    }
    this.main = main.build();
    this.inner = inner.build();
    for (let e = this.inner.edgeStart[0]!; e < this.inner.edgeStart[1]!; e++)
      this.innerStart[this.inner.edgeSymbol[e]! >> 1] = 1;
    this.innerStart[0] = 0;
    this.minLength = minSymbols;
    this.minInnerLength = minInner;
    this.size = this.words.length;
    for (let i = 0; i < this.size; i++)
      this.shortRoot.push((this.mode[i] === PREFIX || this.mode[i] === EDGES) && this.words[i]!.length <= SHORT_ROOT);
  }

  private noteInnerPair(codes: readonly number[]): void {
    const [c, d] = codes;
    if (c !== undefined && d !== undefined && c < 128 && d < 128) this.innerPairs[(c << 7) | d] = 1;
  }

  /** Every dictionary word in the text, in order, at most `limit`. Never throws on any string. */
  findAll(text: string, options?: { inName?: boolean; limit?: number }): readonly WordMatch[] {
    const s = buildStream(text);
    this.s = s;
    this.inName = options?.inName ?? false;
    this.found.length = 0;
    const code = s.code;
    const alt = s.alt;
    const innerStart = this.innerStart;
    const innerPairs = this.innerPairs;
    const minLength = this.minLength;
    const minInner = this.minInnerLength;
    const n = s.length;
    const limit = options?.limit ?? 50;
    // Matches arrive in order of where they start, and one starting later never displaces one
    // chosen before it: once `limit` are certain, the rest of the text cannot change them. Checked
    // each time the matches found double, so a body of profanity costs no more than `limit` of it.
    let check = limit;
    let first = 0;
    for (let p = 0; p <= n; p++) {
      if (p < n && code[p] !== SPACE) continue;
      if (this.found.length >= check) {
        const chosen = this.collect(limit);
        if (chosen.length >= limit) return chosen;
        check = 2 * this.found.length;
      }
      const end = p;
      const length = end - first;
      this.wordFirst = first;
      this.wordStop = end;
      this.wordSafe = UNKNOWN;
      if (length >= minLength && this.mainStarts.mayStart(s, first, end))
        this.walk(this.main, 0, first, first, 0, 0, 0, false);
      // Words inside longer words ("bullshit"), starting at a letter that begins a run.
      for (let q = first + 1; q + minInner <= end; q++) {
        const c = code[q]!;
        const d = code[q + 1]!;
        // Plain ASCII letter pairs no inner word starts with are skipped at once.
        if (
          innerPairs[((c & 127) << 7) | (d & 127)] === 0 &&
          c < 128 &&
          d < 128 &&
          c !== d &&
          d !== WILD &&
          (alt[q]! | alt[q + 1]!) === 0
        )
          continue;
        if (innerStart[c] === 0 && innerStart[alt[q]!] === 0) continue;
        if (c === code[q - 1] || !this.innerStarts.mayStart(s, q, end)) continue;
        // Inside one long word too ("fuckfuckfuck…"): whatever starts before q is complete.
        if (this.found.length >= check) {
          const chosen = this.collect(limit);
          if (chosen.length >= limit) return chosen;
          check = 2 * this.found.length;
        }
        this.walk(this.inner, 0, q, q, 0, 0, 0, true);
      }
      first = p + 1;
    }
    return this.found.length === 0 ? NO_MATCHES : this.collect(limit);
  }

  /** Depth-first over the ways the text runs can follow trie edges. Depth is bounded by word length. */
  private walk(
    t: FlatTrie,
    node: number,
    pos: number,
    first: number,
    flags: number,
    real: number,
    wild: number,
    inner: boolean,
  ): void {
    const s = this.s;
    this.steps++;
    if (node !== 0) {
      const entry = t.terminal[node]!;
      if (entry >= 0) this.accept(entry, first, pos, flags, real, wild, inner);
    }
    if (pos >= s.length) return;
    const c = s.code[pos]!;
    if (c === SPACE) {
      // Phrases ("blow job") continue into the next word; inner words never do.
      if (inner || node === 0) return;
      const next = childOf(t, node, symbolOf(SPACE, false));
      if (next >= 0) this.walk(t, next, pos + 1, first, flags, real, wild, inner);
      return;
    }
    if (c === WILD) {
      if (node === 0) return;
      let run = 1;
      while (pos + run < s.length && s.code[pos + run] === WILD) run++;
      const end = t.edgeStart[node + 1]!;
      for (let e = t.edgeStart[node]!; e < end; e++) {
        const sym = t.edgeSymbol[e]!;
        if (sym === symbolOf(SPACE, false)) continue;
        const width = sym & 1 ? 2 : 1;
        if (width > run || wild + width > MAX_WILDCARDS) continue;
        this.walk(t, t.edgeTarget[e]!, pos + width, first, flags, real, wild + width, inner);
      }
      return;
    }
    const alt = s.alt[pos]!;
    const other = alt & ALT_LETTER;
    this.stepRun(t, node, c, pos, first, flags, real, wild, inner);
    if (other !== 0) this.stepRun(t, node, other, pos, first, flags, real, wild, inner);
    // "f0ck", "motherf@cker": a vowel written as a digit or symbol may stand for another vowel. Only
    // inside a match (the start filters read first letters as written) and only for words found
    // anywhere (see accept()): "sh0t" and "c0nt" are too often "shot" and "cont".
    if ((alt & VOWEL_FLAG) !== 0 && pos !== first) {
      for (const v of VOWELS)
        if (v !== c && v !== other) this.step(t, node, v, 1, pos + 1, first, flags | SWAPPED, real + 1, wild, inner);
    }
  }

  /**
   * Steps over the run starting at `pos` read as `letter`: the characters written the same, and (when
   * that is longer) those read the same: "l|" is a double l in "bel|end", "1" alone an i in "cl1t".
   */
  private stepRun(
    t: FlatTrie,
    node: number,
    letter: number,
    pos: number,
    first: number,
    flags: number,
    real: number,
    wild: number,
    inner: boolean,
  ): void {
    const s = this.s;
    const written = s.code[pos]!;
    let r = pos + 1;
    while (r < s.length && s.code[r] === written) r++;
    this.step(t, node, letter, r - pos, r, first, flags, real, wild, inner);
    let read = pos + 1;
    while (read < s.length && (s.code[read] === letter || (s.alt[read]! & ALT_LETTER) === letter)) read++;
    if (read !== r) this.step(t, node, letter, read - pos, read, first, flags, real, wild, inner);
  }

  private step(
    t: FlatTrie,
    node: number,
    letter: number,
    count: number,
    next: number,
    first: number,
    flags: number,
    real: number,
    wild: number,
    inner: boolean,
  ): void {
    // A run of one letter takes a single step; two take a double step, or (loosely) a single one;
    // three or more are a stretched letter and take either.
    const single = childOf(t, node, symbolOf(letter, false));
    if (single >= 0) this.walk(t, single, next, first, count === 2 ? flags | LOOSE : flags, real + count, wild, inner);
    if (count >= 2) {
      const double = childOf(t, node, symbolOf(letter, true));
      if (double >= 0) this.walk(t, double, next, first, flags, real + count, wild, inner);
    }
  }

  private accept(
    entry: number,
    first: number,
    pos: number,
    flags: number,
    real: number,
    wild: number,
    inner: boolean,
  ): void {
    const s = this.s;
    const mode = this.mode[entry]!;
    if ((flags & LOOSE) !== 0 && !this.loose[entry]) return;
    if ((flags & SWAPPED) !== 0 && mode !== ANYWHERE) return;
    if (wild > 0 && real < MIN_REAL_LETTERS_WITH_WILDCARDS) return;
    if (this.joinedOnly[entry] && !isJoined(s, first)) return;
    if (this.inName && this.notInNames[entry]) return;
    const atWordEnd = pos >= s.length || s.code[pos] === SPACE;
    let last = pos - 1;
    if (inner) {
      if (mode === EDGES && !atWordEnd) {
        const rest = this.restOfWord(pos, MAX_ENDING);
        if (!ROOT_ENDINGS.has(rest)) return;
        last = pos + rest.length - 1;
      } else if (mode !== EDGES && mode !== ANYWHERE) return;
    } else if (mode === WORD && !atWordEnd) {
      if (!this.isPlural(entry, pos)) return;
      last = pos + (this.plural[entry] === PLURAL_ES ? 2 : 1) - 1;
    } else if (this.shortRoot[entry] && !atWordEnd && !this.opensProfaneWord(first, pos, flags)) return;
    if (this.foreign[entry] && hasAccentedLetter(s.text, s.start[first]!, endOf(s, last))) return;
    if (this.isSafeWord()) return;
    this.found.push({ entry, first, last });
  }

  /** A short root at the start of a longer word: see word-shape.ts. */
  private opensProfaneWord(first: number, pos: number, flags: number): boolean {
    const s = this.s;
    if (continuesProfanely(this.restOfWord(pos, MAX_REST))) return true;
    // Disguised as written ("sh1tkino", "shitst*rm"), not merely read another way ("sh0t" is "shot").
    if ((flags & SWAPPED) !== 0) return false;
    const last = Math.min(this.wordStop, pos + MAX_REST) - 1;
    return isJoined(s, first) || isWrittenOddly(s.text, s.start[first]!, endOf(s, last));
  }

  /**
   * The letters from `pos` to the end of its text word when there are at most `max`, else "-".
   * Reads at most `max` + 1 positions, so a match inside a long word costs the same as anywhere
   * else (scanning to the word's end at every match made "fuckfuck…" quadratic).
   */
  private restOfWord(pos: number, max: number): string {
    const s = this.s;
    let out = '';
    for (let p = pos; p < s.length && s.code[p] !== SPACE; p++) {
      this.steps++;
      if (p - pos >= max) return '-';
      out += String.fromCharCode(s.code[p]!);
    }
    return out;
  }

  private isPlural(entry: number, pos: number): boolean {
    const rest = this.restOfWord(pos, MAX_ENDING);
    const plural = this.plural[entry];
    return (plural === PLURAL_S && rest === 's') || (plural === PLURAL_ES && rest === 'es');
  }

  /**
   * Whether the text word being scanned is a known innocent word ("shiitake", "Scunthorpe"). Every
   * match starts in that word, so its bounds are known and the answer is computed once per word.
   */
  private isSafeWord(): boolean {
    if (this.wordSafe === UNKNOWN) this.wordSafe = this.lookUpSafe(this.wordFirst, this.wordStop) ? 1 : 0;
    return this.wordSafe === 1;
  }

  private lookUpSafe(a: number, z: number): boolean {
    if ((this.safe.size === 0 && this.sharedSafe.size === 0) || z - a > MAX_SAFE_WORD) return false;
    const s = this.s;
    let word = '';
    for (let i = a; i < z; i++) word += String.fromCharCode(s.code[i]!);
    this.steps += z - a;
    // Plurals of safe words are safe too ("shiitakes"). Not of the shared words: those lists hold
    // their own plurals, and "Asse" (a Belgian town) must not make "asses" one.
    if (this.safe.has(word) || this.sharedSafe.has(word)) return true;
    return (
      (word.endsWith('s') && this.safe.has(word.slice(0, -1))) ||
      (word.endsWith('es') && this.safe.has(word.slice(0, -2)))
    );
  }

  private collect(limit: number): WordMatch[] {
    const s = this.s;
    // Longest first among matches starting together (the earliest listed word among equal spans: "f*ck"
    // reads "fuck" before "feck"); then drop matches inside an earlier one
    // ("fuck" inside "motherfucker").
    const sorted = this.found.sort((a, b) => a.first - b.first || b.last - a.last || a.entry - b.entry);
    const out: WordMatch[] = [];
    let coveredTo = -1;
    for (const f of sorted) {
      if (f.last <= coveredTo) continue;
      if (f.first <= coveredTo) continue;
      coveredTo = f.last;
      out.push({ word: this.words[f.entry]!, start: s.start[f.first]!, end: endOf(s, f.last) });
      if (out.length >= limit) break;
    }
    return out;
  }
}
