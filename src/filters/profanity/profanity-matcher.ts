// The profanity matcher a site uses: the bundled dictionary compiled once per process, and a
// variant per distinct set of site additions and exceptions, compiled when first needed.

import { compileCache } from '../compile-cache.ts';
import type { FilterSettings as SiteSettings } from '../filter.ts';
import { INNOCENT_WORDS } from './derived-words.ts';
import { type DictionaryEntry, defaultDictionary } from './dictionary.ts';
import { WordMatcher } from './matcher.ts';
import { SAFE_WORDS } from './safe-words.ts';

let bundled: WordMatcher | null = null;
let entries: readonly DictionaryEntry[] | null = null;
let innocent: ReadonlySet<string> | null = null;

/** The bundled dictionary, built once (bad-words' list, curated). */
function bundledEntries(): readonly DictionaryEntry[] {
  entries ??= defaultDictionary();
  return entries;
}

/** The innocent words derived from public word lists (derived-words.ts), already normalised. */
function innocentWords(): ReadonlySet<string> {
  innocent ??= new Set(INNOCENT_WORDS);
  return innocent;
}

/** The bundled dictionary with no site changes. */
export function defaultProfanityMatcher(): WordMatcher {
  bundled ??= new WordMatcher(bundledEntries(), SAFE_WORDS, innocentWords());
  return bundled;
}

/** The dictionary with a site's additions (matched as whole words) and exceptions (never matched). */
export function buildProfanityMatcher(additions: readonly string[], exceptions: readonly string[]): WordMatcher {
  // Each word is normalised once, in the matcher: exceptions become safe words, and dictionary
  // words or additions equal to one are left out.
  const words: DictionaryEntry[] = [...bundledEntries()];
  for (const word of additions) words.push({ word, mode: 'word', looseDoubles: false, notInNames: false });
  return new WordMatcher(words, [...SAFE_WORDS, ...exceptions], innocentWords(), true);
}

const perSite = compileCache(
  (s) => [s.profanityWords, s.profanityExceptions],
  (s) => buildProfanityMatcher(s.profanityWords, s.profanityExceptions),
  32,
);

export function profanityMatcherFor(settings: SiteSettings): WordMatcher {
  if (settings.profanityWords.length === 0 && settings.profanityExceptions.length === 0)
    return defaultProfanityMatcher();
  return perSite(settings);
}
