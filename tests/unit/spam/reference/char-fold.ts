// FROZEN COPY (tests only) of the scorer as it was before the throughput work of issue 16: the
// reference the optimised src/spam code must match score for score and token for token
// (tests/unit/spam/scorer-equivalence.test.ts). Never edited but for dropping what no test uses;
// delete it with that test.
// Folds one UTF-16 unit of comment text to what the spam tokenizer sees: lower case, accents
// removed, full-width and compatibility forms made plain, the Cyrillic and Greek letters spammers
// pass off as Latin ones mapped to them, invisible characters dropped. Results are cached per unit,
// so the hot loop is one table lookup; Unicode normalisation runs once per distinct character.
// (The profanity filter has a richer folding of its own; this folder needs no code from others.)

/** Invisible: zero-width characters, soft hyphen, combining marks, bidi controls. Words go on. */
export const DROP = 0;
/** Between words: spaces, punctuation, emoji, symbols. */
const SEPARATOR = 1;
export const LETTER = 2;
export const DIGIT = 3;
/** A symbol that reads as a letter inside a word ("v!agra", "c@sino", "$ex"). */
export const LEET = 4;
/** Joins the parts of a word ("don't", "e-mail"): kept inside a word, trimmed at its ends. */
export const JOINER = 5;

const CLASS_SHIFT = 16;
/** Set on letters the author wrote in upper case: the share of capitals is a feature. */
export const UPPER_FLAG = 1 << 20;
const UNCOMPUTED = -1;

// Letters from other scripts that look like Latin ones; NFKD does not map them.
const LOOKALIKES: Readonly<Record<string, string>> = {
  а: 'a',
  в: 'b',
  е: 'e',
  ё: 'e',
  к: 'k',
  м: 'm',
  н: 'h',
  о: 'o',
  р: 'p',
  с: 'c',
  т: 't',
  у: 'y',
  х: 'x',
  і: 'i',
  ї: 'i',
  ј: 'j',
  ѕ: 's',
  ԁ: 'd',
  һ: 'h',
  ӏ: 'l',
  α: 'a',
  ε: 'e',
  ι: 'i',
  κ: 'k',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  τ: 't',
  υ: 'u',
  χ: 'x',
};

/** What a digit or symbol stands for in a disguised word ("v1agr@" reads "viagra"). */
const LEET_LETTERS: Readonly<Record<string, string>> = {
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '@': 'a',
  $: 's',
  '!': 'i',
  '|': 'l',
};

// biome-ignore lint/suspicious/noMisleadingCharacterClass: tested one character at a time, never combined
const INVISIBLE = /^[\p{Cf}\p{Mn}\p{Me}\u034F\uFE00-\uFE0F]$/u;
const MARKS = /\p{M}/gu;
const IS_LETTER = /^\p{L}$/u;
const IS_UPPER = /^\p{Lu}$/u;

const table = new Int32Array(0x10000).fill(UNCOMPUTED);

const pack = (cls: number, code: number, upper: boolean) => (cls << CLASS_SHIFT) | code | (upper ? UPPER_FLAG : 0);

function compute(code: number): number {
  // Surrogates stand for emoji and rare scripts here: they separate words.
  if (code >= 0xd800 && code <= 0xdfff) return pack(SEPARATOR, 0x20, false);
  const ch = String.fromCharCode(code);
  if (code >= 0x30 && code <= 0x39) return pack(DIGIT, code, false);
  if (ch === "'" || ch === '\u2019' || ch === '-') return pack(JOINER, code, false);
  if (LEET_LETTERS[ch] !== undefined) return pack(LEET, code, false);
  if (INVISIBLE.test(ch)) return pack(DROP, 0, false);
  if (!IS_LETTER.test(ch)) {
    const plain = ch.normalize('NFKD');
    // Full-width and other compatibility digits ("１") read as plain ones.
    return plain.length === 1 && plain >= '0' && plain <= '9'
      ? pack(DIGIT, plain.charCodeAt(0), false)
      : pack(SEPARATOR, code, false);
  }
  const lower = ch.toLowerCase();
  const folded = LOOKALIKES[lower] ?? lower.normalize('NFKD').replace(MARKS, '');
  // A letter that folds to several (ligatures) or to none keeps its lower-case self: still a letter.
  const single = folded.length === 1 && IS_LETTER.test(folded) ? folded : lower.length === 1 ? lower : ch;
  return pack(LETTER, single.charCodeAt(0), IS_UPPER.test(ch));
}

/** The folded unit, packed as (class << 16) | folded UTF-16 code, plus UPPER_FLAG. */
export function foldUnit(code: number): number {
  let packed = table[code]!;
  if (packed === UNCOMPUTED) {
    packed = compute(code);
    table[code] = packed;
  }
  return packed;
}

export const classOf = (packed: number) => (packed >>> CLASS_SHIFT) & 0xf;
export const codeOf = (packed: number) => packed & 0xffff;

/** Leet readings by code (0: none), for the 128 ASCII codes where they all live. */
export const LEET_TABLE = Uint16Array.from({ length: 128 }, (_, c) =>
  (LEET_LETTERS[String.fromCharCode(c)] ?? '\0').charCodeAt(0),
);

// foldText as it was when src/spam/features.ts still split a name with it (the extractor's
// reference below reads names with it; src/spam reads them with foldWords now).
/** A string folded like body text: lower case, accents and look-alikes removed, invisibles dropped. */
export function foldText(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const packed = foldUnit(text.charCodeAt(i));
    const cls = classOf(packed);
    if (cls === DROP) continue;
    out += cls === SEPARATOR ? ' ' : String.fromCharCode(codeOf(packed));
  }
  return out;
}
