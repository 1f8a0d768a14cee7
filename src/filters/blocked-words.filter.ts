// Blocked words (WordPress "disallowed comment keys"): any of them in the name, email, body, IP or
// user agent rejects the comment.
import { compileCache } from './compile-cache.ts';
import type { Filter } from './filter.ts';
import { LiteralMatcher } from './literal-matcher.ts';
import { describeMatches, findInFields } from './word-lists.ts';

const matcherFor = compileCache(
  (s) => s.blockedWords,
  (s) => new LiteralMatcher(s.blockedWords),
);

export const blockedWordsFilter: Filter = {
  name: 'blocked-words',
  prepare: (settings) => void matcherFor(settings),
  run(input) {
    const matches = findInFields(matcherFor(input.settings), input);
    if (matches.length === 0) return null;
    return {
      action: 'reject',
      code: 'blocked_word',
      detail: `Contains blocked words: ${describeMatches(matches)}.`,
      data: { matches },
    };
  },
};
