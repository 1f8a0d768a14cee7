// Hold words (WordPress "comment moderation" keys): any of them in the name, email, body, IP or user
// agent sends the comment to the review queue.
import { compileCache } from './compile-cache.ts';
import type { Filter } from './filter.ts';
import { LiteralMatcher } from './literal-matcher.ts';
import { describeMatches, findInFields } from './word-lists.ts';

const matcherFor = compileCache(
  (s) => s.holdWords,
  (s) => new LiteralMatcher(s.holdWords),
);

export const holdWordsFilter: Filter = {
  name: 'hold-words',
  prepare: (settings) => void matcherFor(settings),
  run(input) {
    const matches = findInFields(matcherFor(input.settings), input);
    if (matches.length === 0) return null;
    return {
      action: 'hold',
      code: 'hold_word',
      detail: `Contains words held for review: ${describeMatches(matches)}.`,
      data: { matches },
    };
  },
};
