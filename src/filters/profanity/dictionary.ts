// The bundled profanity dictionary: bad-words' list (its own words plus badwords-list), curated for
// comments on news sites, and how each word may appear inside longer words.
import { Filter } from 'bad-words';
import { FOREIGN_WORDS } from './derived-words.ts';
import { codesToString, normaliseWord } from './normalise.ts';

/**
 * How a dictionary word is found in a text word:
 * - `word`: the whole word, or its plural ("dick", "dicks"; never "Dickens")
 * - `prefix`: at the start of a word, whatever follows ("nigger" in "niggers", never "snigger")
 * - `edges`: at the start or the end of a word ("shithole", "bullshit"; not "Yoshitaka")
 * - `anywhere`: inside any word ("clusterfuck", "unfuckingbelievable")
 */
export type MatchMode = 'word' | 'prefix' | 'edges' | 'anywhere';

export interface DictionaryEntry {
  /** As listed; normalised when compiled ("a$$hole" and "asshole" are one word). */
  word: string;
  mode: MatchMode;
  /**
   * Accept a doubled letter for a single one ("fuuck", "shiit"). Only for words with no innocent
   * spelling one letter away: "asses" must not match "assess", nor "cok" match "cook". The roots, and
   * words of LOOSE_DOUBLES_FROM letters or more ("jaackass", "ttosser"), where doubling a letter
   * makes no other word (scripts/derive-profanity-words.ts checks the English word lists).
   */
  looseDoubles: boolean;
  /** Not checked in the author's name: it is also a common name ("Dick Smith"). */
  notInNames: boolean;
  /**
   * Not an English word but a misspelling or another language's word ("phuc", "penas", "faget"):
   * written with that language's accents (Phúc, Peñas, Făget) it is that language, not a disguise.
   */
  foreign?: boolean;
}

/** Words whose innocent relatives are few enough to list (see safe-words.ts). */
const ROOTS: Readonly<Record<string, MatchMode>> = {
  fuck: 'anywhere',
  shit: 'edges',
  cunt: 'edges',
  bitch: 'edges',
  whore: 'edges',
  asshole: 'edges',
  twat: 'prefix',
  nigger: 'prefix',
  faggot: 'prefix',
  bollock: 'prefix',
  masturbat: 'prefix',
  motherfuck: 'anywhere',
};

/**
 * Listed by bad-words but ordinary words, names or places in news comments; holding every comment
 * that mentions them would bury moderators. Sites that want any of them add it to `profanityWords`.
 * Compared after normalisation, so "h0ar" goes with "hoar".
 */
export const EXCLUDED_WORDS: readonly string[] = [
  // Ordinary vocabulary: "God", "what the hell", "a bloody conflict", "a political pawn", "lust for
  // power", "snatch victory", "screwing taxpayers", "the butt of jokes", "balls" in sport, "tit for tat",
  // "hoar frost", "homo sapiens", "a bum deal", "dogging the government", "a knob", "pooper scooper".
  'god',
  'hell',
  'hells',
  'helvete',
  'bloody',
  'pawn',
  'lust',
  'lusting',
  'snatch',
  'screw',
  'screwing',
  'spunk',
  'flange',
  'knob',
  'knobs',
  'knobz',
  'nob',
  'bum',
  'tit',
  'balls',
  'butt',
  'poop',
  'muff',
  'hoar',
  'homo',
  'dogging',
  'doggin',
  'sadist',
  'masochist',
  'xxx',
  'dink',
  'dinks',
  'feces',
  'orifice',
  'oriface',
  'orifiss',
  'enema',
  'preteen',
  'sex',
  'sexy',
  'chink',
  'pecker',
  'fitt',
  'dike',
  // "magna cum laude", the cum-ex tax scandal; "kum" is its misspelling and what "KVM" reads as.
  'cum',
  'kum',
  'kums',
  // History and politics: articles about the Second World War, King Cnut.
  'nazi',
  'nazis',
  'cnut',
  // Anatomy and medicine, common in health news.
  'anus',
  'anal',
  'rectum',
  'penis',
  'vagina',
  'vulva',
  'labia',
  'scrotum',
  'testicle',
  'testical',
  'clitoris',
  'breasts',
  'semen',
  'ejaculate',
  'ejaculated',
  'ejaculates',
  'ejaculating',
  'ejaculation',
  'orgasm',
  'orgasms',
  'foreskin',
  'pornography',
  'viagra',
  // Surnames, given names and places: Cox, Wang, Hoare, Gaylord, Willy Brandt, Fanny Ardant, Van Dyke,
  // Pecker, Lipshitz, Polak, Kummer, Kuntz, Rautenberg, Schaffer, Ekrem, Cumming (Georgia), Fu, Hui, Leitch.
  'cox',
  'wang',
  'hoare',
  'gaylord',
  'willy',
  'willies',
  'fanny',
  'dyke',
  'lipshits',
  'lipshitz',
  'polak',
  'rautenberg',
  'schaffer',
  'ekrem',
  'ekto',
  'cumming',
  'fu',
  'hui',
  'leitch',
  'kuk',
  'kummer',
  'kuntz',
  // Words of other languages that are innocent there: Indonesian "suka" (to like), Dutch "kanker"
  // (cancer), Slovak/Ukrainian "paska" (Easter bread), Croatian Pula, German "Schmuck" (jewellery),
  // Latin "per se", Russian "сок" (juice) which folds to "cok".
  'suka',
  'kanker',
  'paska',
  'pula',
  'pule',
  'perse',
  'schmuck',
  'yed',
  'cok',
  'spac',
  'cipa',
  'haxor',
  // Dutch for whore, and English for one who hoes.
  'hoer',
  // Split as separate words it reads "it's hit": too many false alarms.
  's hit',
];

/** Dictionary words this long take a doubled letter for a single one (see looseDoubles). */
const LOOSE_DOUBLES_FROM = 6;

/** Common insults missing from bad-words' list. */
const EXTRA: readonly string[] = ['dumbass', 'jackass', 'asshat', 'douchebag', 'dickwad', 'bullshit', 'arsehole'];

/** Dictionary words that are also common names, not checked in the name field. */
const NAMES: readonly string[] = ['dick', 'kock', 'jap'];

/** bad-words' complete default list (its own words and badwords-list), as the package builds it. */
export function badWordsList(): string[] {
  return [...new Filter().list];
}

/** Removes bad-words' wildcard marks: "arse*", "*fuck*" and "Fu(*" meant prefixes it never implemented. */
export function stem(word: string): string {
  return word
    .replace(/^\*+|\*+$/g, '')
    .replace(/[(;]+$/, '')
    .trim();
}

const key = (word: string) => codesToString(normaliseWord(word).codes);

/** The curated dictionary: every bad-words word except the excluded ones, with how each may match. */
export function defaultDictionary(): DictionaryEntry[] {
  const excluded = new Set(EXCLUDED_WORDS.map(key));
  const roots = new Map(Object.entries(ROOTS).map(([w, mode]) => [key(w), mode]));
  const names = new Set(NAMES.map(key));
  const foreign = new Set(FOREIGN_WORDS);
  const out: DictionaryEntry[] = [];
  for (const word of [...badWordsList().map(stem), ...EXTRA, ...Object.keys(ROOTS)]) {
    const k = key(word);
    if (k === '' || excluded.has(k)) continue;
    const mode = roots.get(k) ?? 'word';
    const looseDoubles = mode !== 'word' || k.length >= LOOSE_DOUBLES_FROM;
    out.push({ word, mode, looseDoubles, notInNames: names.has(k), foreign: foreign.has(k) });
  }
  return out;
}
