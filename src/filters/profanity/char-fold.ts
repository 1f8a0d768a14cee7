// Folds one character of comment text to what it looks like: case, accents, full-width and
// compatibility forms, look-alike letters, invisible characters. Results are cached per code point,
// so the hot loop is a table lookup; Unicode normalisation runs once per distinct character.
import { HIDDEN_LETTER, LEET, LETTER_ALTERNATIVES, LOOKALIKES } from './lookalikes.ts';

// What a folded character is to the tokenizer (plain numbers: they sit in typed arrays).
/** Invisible: zero-width, soft hyphen, combining marks, variation selectors, bidi controls. */
export const DROP = 0;
/** Anything between words: spaces, punctuation, emoji. */
export const SEPARATOR = 1;
export const LETTER = 2;
export const DIGIT = 3;
/** A symbol that reads as a letter inside a word: @ $ ! | + € ¡ */
export const LEET_SYMBOL = 4;
/** "*" as in "f*ck" (or "#", "%"): stands for one hidden letter. */
export const WILDCARD = 5;
/** Folds to several characters (ß → ss, ﬁ → fi); see expansionOf(). */
export const EXPAND = 6;

/** A letter we cannot represent in 16 bits (outside the BMP): still a letter, never matches a word. */
const UNKNOWN_LETTER = 0xffff;

const CLASS_SHIFT = 16;
const UNCOMPUTED = -1;

// Invisible or formatting characters people slip between letters. \p{Cf} covers zero-width
// spaces and joiners, soft hyphen, bidi controls, word joiner and tag characters.
// biome-ignore lint/suspicious/noMisleadingCharacterClass: tested one code point at a time, never combined
const INVISIBLE = /^[\p{Cf}\p{Mn}\p{Me}\u034F\u115F\u1160\u3164\uFFA0\u180B-\u180F\uFE00-\uFE0F]$/u;
const MARKS = /\p{M}/gu;
const IS_LETTER = /^\p{L}$/u;

const bmp = new Int32Array(0x10000).fill(UNCOMPUTED);
const astral = new Map<number, number>();
const expansions = new Map<number, number[]>();

function pack(cls: number, code: number): number {
  return (cls << CLASS_SHIFT) | code;
}

/** One already-folded code point, classified without folding it again. */
function packFolded(ch: string): number {
  const cp = ch.codePointAt(0)!;
  if (IS_LETTER.test(ch)) return pack(LETTER, cp < 0x10000 ? cp : UNKNOWN_LETTER);
  if (cp >= 0x30 && cp <= 0x39) return pack(DIGIT, cp);
  if (HIDDEN_LETTER.has(ch)) return pack(WILDCARD, cp);
  if (LEET[ch] !== undefined) return pack(LEET_SYMBOL, cp);
  return pack(SEPARATOR, cp < 0x10000 ? cp : 0x20);
}

function compute(cp: number): number {
  const ch = String.fromCodePoint(cp);
  if (INVISIBLE.test(ch)) return pack(DROP, 0);
  // NFKD splits accents off and turns compatibility forms (ｆ, 𝐟, ⓕ, ﬁ) into plain letters;
  // lower-casing can bring a mark back (İ → i̇), so marks are stripped after it too.
  // A look-alike is mapped before decomposition too: NFKD turns lunate sigma "ϲ" (looks like c) into "ς".
  const direct = LOOKALIKES[ch] ?? LOOKALIKES[ch.toLowerCase()];
  const decomposed =
    direct ?? ch.normalize('NFKD').replace(MARKS, '').toLowerCase().normalize('NFKD').replace(MARKS, '');
  const parts: number[] = [];
  for (const c of decomposed) {
    const look = LOOKALIKES[c];
    if (look === undefined) parts.push(packFolded(c));
    else for (const l of look) parts.push(packFolded(l));
  }
  if (parts.length === 0) return pack(DROP, 0);
  if (parts.length === 1) return parts[0]!;
  expansions.set(cp, parts);
  return pack(EXPAND, 0);
}

/** The folded character for a code point, packed as (class << 16) | UTF-16 code of the folded char. */
export function foldCodePoint(cp: number): number {
  if (cp < 0x10000) {
    let packed = bmp[cp]!;
    if (packed === UNCOMPUTED) {
      packed = compute(cp);
      bmp[cp] = packed;
    }
    return packed;
  }
  let packed = astral.get(cp);
  if (packed === undefined) {
    packed = compute(cp);
    // Bounded: someone pasting every astral character must not grow the cache without end.
    if (astral.size < 50_000) astral.set(cp, packed);
  }
  return packed;
}

/** The packed characters an EXPAND code point folds to. */
export function expansionOf(cp: number): readonly number[] {
  return expansions.get(cp) ?? EMPTY;
}
const EMPTY: readonly number[] = [];

// Leet readings of a digit or symbol, by its code: usual letter and alternative (0 when none).
const leetPrimary = new Uint16Array(128);
const leetAlternative = new Uint16Array(128);
for (const [sym, letters] of Object.entries(LEET)) {
  const code = sym.charCodeAt(0);
  if (code < 128) {
    leetPrimary[code] = letters.charCodeAt(0);
    leetAlternative[code] = letters.length > 1 ? letters.charCodeAt(1) : 0;
  }
}
const leetOther = new Map<number, [number, number]>(
  Object.entries(LEET)
    .filter(([sym]) => sym.charCodeAt(0) >= 128)
    .map(([sym, letters]) => [
      sym.charCodeAt(0),
      [letters.charCodeAt(0), letters.length > 1 ? letters.charCodeAt(1) : 0],
    ]),
);

/** The usual letter a digit or leet symbol stands for (0 when it stands for none). */
export function leetLetter(code: number): number {
  return code < 128 ? leetPrimary[code]! : (leetOther.get(code)?.[0] ?? 0);
}

/** The other letter it may stand for ("1" is "i" or "l"), or 0. */
export function leetAlternativeLetter(code: number): number {
  return code < 128 ? leetAlternative[code]! : (leetOther.get(code)?.[1] ?? 0);
}

const letterAlternatives = new Uint16Array(0x10000);
export const LETTER_ALTERNATIVES_TABLE: Readonly<Uint16Array> = letterAlternatives;
for (const [letter, alt] of Object.entries(LETTER_ALTERNATIVES))
  letterAlternatives[letter.charCodeAt(0)] = alt.charCodeAt(0);

/** Another letter a letter may stand for ("v" in "fvck"), or 0. */
export function letterAlternative(code: number): number {
  return letterAlternatives[code]!;
}

/** Folded ASCII, precomputed: most comment text is ASCII and takes this path. */
export const ASCII_FOLD = Int32Array.from({ length: 128 }, (_, cp) => foldCodePoint(cp));
