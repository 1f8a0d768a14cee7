// The profanity matcher a site uses: the bundled dictionary compiled once per process, and a
// variant per distinct set of site additions and exceptions, compiled when first needed.

import { compileCache } from '../compile-cache.ts';
import type { FilterSettings as SiteSettings } from '../filter.ts';
import { type DictionaryEntry, defaultDictionary } from './dictionary.ts';
import { WordMatcher } from './matcher.ts';
import { codesToString, normaliseWord } from './normalise.ts';
import { SAFE_WORDS } from './safe-words.ts';

let bundled: WordMatcher | null = null;

/** The bundled dictionary with no site changes. */
export function defaultProfanityMatcher(): WordMatcher {
  bundled ??= new WordMatcher(defaultDictionary(), SAFE_WORDS);
  return bundled;
}

/** The dictionary with a site's additions (matched as whole words) and exceptions (never matched). */
export function buildProfanityMatcher(additions: readonly string[], exceptions: readonly string[]): WordMatcher {
  const key = (w: string) => codesToString(normaliseWord(w).codes);
  const dropped = new Set(exceptions.map(key));
  const entries: DictionaryEntry[] = [
    ...defaultDictionary(),
    ...additions.map((word) => ({ word, mode: 'word' as const, looseDoubles: false, notInNames: false })),
  ].filter((e) => !dropped.has(key(e.word)));
  return new WordMatcher(entries, [...SAFE_WORDS, ...exceptions]);
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
