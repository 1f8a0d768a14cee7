// npx tsx scripts/generate-heldout-disguises.ts: writes tests/fixtures/profanity/heldout-disguises.txt,
// disguised profanity made by rules, with a fixed seed, for a held-out catch rate. The matcher is never
// tuned on this file: it is regenerated only when these rules change, and its catch rate is reported
// as measured (tests/unit/filters/profanity-heldout.test.ts, npm run bench).
//
// The rules are the disguises commenters use (the list): leetspeak digits and symbols, also
// inside compounds ("motherf0cker", "f0ck1ng"), hidden letters ("f*ck"), separators between letters,
// stretched letters, Cyrillic and Greek look-alikes, full-width and mathematical letters, zero-width
// characters, combining marks, mixed case; each word alone or inside a sentence.
import { writeFileSync } from 'node:fs';
import path from 'node:path';

const OUT = path.resolve(import.meta.dirname, '../tests/fixtures/profanity/heldout-disguises.txt');
const SAMPLES = 600;

/** Words a disguise starts from: strong words, compounds and inflections people actually write. */
const BASES = [
  'fuck',
  'fucking',
  'fucker',
  'motherfucker',
  'fuckface',
  'clusterfuck',
  'shit',
  'shitty',
  'bullshit',
  'shithead',
  'horseshit',
  'shitstorm',
  'cunt',
  'cunts',
  'bitch',
  'bitches',
  'sonofabitch',
  'asshole',
  'arsehole',
  'dickhead',
  'dick',
  'cock',
  'cocksucker',
  'prick',
  'pussy',
  'wanker',
  'twat',
  'bastard',
  'slut',
  'whore',
  'faggot',
  'nigger',
  'bollocks',
  'douchebag',
  'dumbass',
  'jackass',
  'tosser',
  'bellend',
];
const FRAMES = ['{}', '{}', 'you {}', 'what a {}!', 'total {} from the council', '{} off', 'this is {}'];

const LEET: Record<string, string[]> = {
  a: ['4', '@'],
  e: ['3'],
  i: ['1', '!', '|'],
  o: ['0'],
  s: ['5', '$'],
  t: ['7', '+'],
  l: ['1', '|'],
  g: ['9'],
  b: ['8'],
  u: ['v'],
};
// The vowel of "fuck" written as another vowel's digit, as in the issue ("f0ck", "motherf0cker").
const VOWEL_DIGIT: Record<string, string[]> = { u: ['0', '@', '*'] };
const HOMOGLYPHS: Record<string, string[]> = {
  a: ['а', 'α'],
  c: ['с', 'ϲ'],
  e: ['е', 'ε'],
  i: ['і', 'ι'],
  o: ['о', 'ο'],
  p: ['р', 'ρ'],
  s: ['ѕ'],
  x: ['х', 'χ'],
  y: ['у'],
  k: ['к', 'κ'],
  h: ['һ'],
  t: ['т', 'τ'],
  u: ['υ'],
  n: ['η'],
  b: ['в'],
  d: ['ԁ'],
  m: ['м'],
  w: ['ш', 'ω'],
  f: ['ƒ'],
};
const INVISIBLE = ['\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad'];
const COMBINING = ['\u0301', '\u0308', '\u0336', '\u0332', '\u0300'];
const SEPARATORS = ['.', '-', '_', ' ', '*', '..', '/'];

// mulberry32: a small seeded generator, so the file is the same on every run. The matcher was developed
// against another seed's output (--seed=1592598566); this file's seed was first run only to measure.
const seedArg = process.argv.find((a) => a.startsWith('--seed='));
let seed = seedArg ? Number(seedArg.slice(7)) : 0x0dd5eed5;
function random(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;

/** Replaces some letters (each with probability p) through a table of readings. */
function substitute(word: string, table: Record<string, string[]>, p: number): string {
  let out = '';
  let changed = false;
  for (const ch of word) {
    const options = table[ch];
    if (options && random() < p) {
      out += pick(options);
      changed = true;
    } else out += ch;
  }
  if (changed) return out;
  // At least one change, where the table allows one.
  const places = [...word].map((ch, i) => (table[ch] ? i : -1)).filter((i) => i >= 0);
  if (places.length === 0) return word;
  const at = pick(places);
  return word.slice(0, at) + pick(table[word[at]!]!) + word.slice(at + 1);
}

const RULES: Record<string, (w: string) => string> = {
  leet: (w) => substitute(w, LEET, 0.4),
  vowelDigit: (w) => (w.includes('fuck') ? substitute(w, VOWEL_DIGIT, 1) : substitute(w, LEET, 0.3)),
  hidden: (w) => {
    const vowels = [...w].map((ch, i) => ('aeiou'.includes(ch) ? i : -1)).filter((i) => i > 0);
    if (vowels.length === 0) return w;
    const at = pick(vowels);
    return `${w.slice(0, at)}*${w.slice(at + 1)}`;
  },
  separated: (w) => [...w].join(pick(SEPARATORS)),
  stretched: (w) => {
    const at = Math.floor(random() * w.length);
    return w.slice(0, at + 1) + w[at]!.repeat(1 + Math.floor(random() * 4)) + w.slice(at + 1);
  },
  homoglyph: (w) => substitute(w, HOMOGLYPHS, 0.5),
  fullWidth: (w) => [...w].map((ch) => String.fromCodePoint(ch.codePointAt(0)! - 0x61 + 0xff41)).join(''),
  mathBold: (w) => [...w].map((ch) => String.fromCodePoint(ch.codePointAt(0)! - 0x61 + 0x1d41a)).join(''),
  zeroWidth: (w) => [...w].map((ch, i) => (i > 0 && random() < 0.6 ? pick(INVISIBLE) : '') + ch).join(''),
  combining: (w) => [...w].map((ch) => ch + (random() < 0.6 ? pick(COMBINING) : '')).join(''),
  mixedCase: (w) => [...w].map((ch) => (random() < 0.5 ? ch.toUpperCase() : ch)).join(''),
};
/** Rules that rewrite letters; the others (case, invisible characters) may follow them. */
const LETTER_RULES = ['leet', 'vowelDigit', 'hidden', 'separated', 'stretched', 'homoglyph', 'fullWidth', 'mathBold'];
const EXTRA_RULES = ['zeroWidth', 'combining', 'mixedCase'];

/** \u{…} for characters that are invisible or hard to type, as tests/support/corpus.ts reads them. */
const visible = (s: string) =>
  [...s]
    .map((ch) => (/[\p{Cf}\p{M}\s]/u.test(ch) && ch !== ' ' ? `\\u{${ch.codePointAt(0)!.toString(16)}}` : ch))
    .join('');

const lines = new Set<string>();
while (lines.size < SAMPLES) {
  const base = pick(BASES);
  const first = pick(LETTER_RULES);
  let word = RULES[first]!(base);
  if (random() < 0.4) {
    const extra = pick(EXTRA_RULES);
    // Mathematical letters have no case to mix.
    if (!(extra === 'mixedCase' && first === 'mathBold')) word = RULES[extra]!(word);
  }
  if (word === base) continue;
  lines.add(visible(pick(FRAMES).replace('{}', word)));
}

const header = [
  '# Held-out disguised profanity, generated by scripts/generate-heldout-disguises.ts (fixed seed); do not',
  '# edit by hand and do not tune the matcher on it: its catch rate is measured, not required to be 100%.',
  '# "# " starts a comment; \\u{…} stands for an invisible or combining character.',
  '',
];
writeFileSync(seedArg ? `${OUT}.${seedArg.slice(7)}` : OUT, `${[...header, ...lines].join('\n')}\n`);
console.log(`${lines.size} disguised lines written to ${path.relative(process.cwd(), OUT)}`);
