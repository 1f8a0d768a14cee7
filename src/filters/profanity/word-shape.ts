// What the rest of a word says about a root found at its start. "shit" opens "shithead", "shitty" and
// "shitstorm", but also Shitterton (Dorset), Shitkino (Russia) and the Japanese name Shitara; "bitch"
// opens "bitchy" and Bitchfield (Lincolnshire); "cunt" opens "cunty" and Cuntis (Galicia). A short
// root at the start of a longer word counts when what follows is an ending or a word that profane
// compounds are made of, or when the root itself is disguised ("sh1tkino": nobody writes a place name
// that way). Place names and surnames rarely continue with either, so they are left alone.

/** Endings after a root at the start of a word: inflections and the usual derivations. */
const START_ENDINGS: ReadonlySet<string> = new Set([
  's',
  'es',
  'ed',
  'd',
  'er',
  'ers',
  'ing',
  'ings',
  'in',
  'y',
  'ey',
  'ie',
  'ies',
  'ier',
  'iest',
  'ily',
  'iness',
  'ish',
  'ery',
  'eries',
  'dom',
  'doms',
  'less',
  'ness',
  'ful',
  'fest',
  'fests',
]);

/**
 * Second halves of compounds made with a root ("shithead", "cuntface", "twatwaffle", "bitchslap"):
 * the ones found in the English word lists (scripts/derive-profanity-words.ts prints them) and the
 * common insult compounds of British and American English.
 */
const COMPOUND_HEADS: readonly string[] = [
  'head',
  'face',
  'hole',
  'house',
  'load',
  'list',
  'wit',
  'wad',
  'bag',
  'box',
  'storm',
  'show',
  'stain',
  'stick',
  'hat',
  'heap',
  'pile',
  'ton',
  'up',
  'off',
  'tard',
  'weasel',
  'waffle',
  'gibbon',
  'nugget',
  'biscuit',
  'burger',
  'bucket',
  'sack',
  'rag',
  'brain',
  'breath',
  'eater',
  'licker',
  'lick',
  'sucker',
  'suck',
  'kicker',
  'monger',
  'master',
  'slap',
  'fit',
  'talk',
  'poster',
  'post',
  'stack',
  'hound',
  'lord',
  'nut',
  'bird',
  'dog',
  'pig',
  'rat',
  'mouth',
  'lips',
  'ass',
  'arse',
  'fuck',
  'shit',
  'cunt',
  'dick',
  'cock',
  'whore',
  'bitch',
  'work',
  'job',
  'tastic',
  'shack',
  'hammered',
  'canned',
  'kick',
  'flaps',
  'muncher',
  'sniffer',
  'wipe',
];
const COMPOUND_PARTS: ReadonlySet<string> = new Set(COMPOUND_HEADS);
/** What may follow a compound's second half: "shitheads", "cuntfaced". */
const PART_ENDINGS: ReadonlySet<string> = new Set(['', 's', 'es', 'ed', 'd', 'er', 'ers', 'ing', 'y', 'ery']);

/** Longest rest of word worth reading: a compound half and an ending. */
export const MAX_REST = 16;

/** Whether `rest` (the letters after a root at the start of a word) makes a profane word of it. */
export function continuesProfanely(rest: string): boolean {
  if (START_ENDINGS.has(rest)) return true;
  for (let cut = 2; cut <= rest.length; cut++) {
    if (COMPOUND_PARTS.has(rest.slice(0, cut)) && PART_ENDINGS.has(rest.slice(cut))) return true;
  }
  return false;
}

// Latin letters written with a diacritic in their own code point (é, ñ, ă, ö, ú, ơ, ư), as other
// languages spell: Phúc (Vietnamese), Peñas (Spanish), Făget (Romanian), Höör (Swedish). A disguise
// puts marks on English words ("fück"); spelling a listed misspelling ("phuc", "penas", "faget") with
// its language's accents is writing that language. Combining marks typed after a letter are not
// counted here: they are how disguises are typed, not how languages are.
const accented = new Uint8Array(0x2000);
for (let cp = 0xc0; cp < 0x2000; cp++) {
  if (cp >= 0x250 && cp < 0x1e00) continue;
  const ch = String.fromCharCode(cp);
  const base = ch.normalize('NFD');
  if (base.length > 1 && /^[a-z]/i.test(base) && /\p{M}/u.test(base)) accented[cp] = 1;
}

/** Whether text[from, to) holds a precomposed accented Latin letter. */
export function hasAccentedLetter(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const u = text.charCodeAt(i);
    if (u >= 0xc0 && u < 0x2000 && accented[u] === 1) return true;
  }
  return false;
}

/** Whether text[from, to) is anything but plain ASCII letters: digits, symbols, look-alikes, marks. */
export function isWrittenOddly(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const u = text.charCodeAt(i) | 0x20;
    if (u < 0x61 || u > 0x7a) return true;
  }
  return false;
}
