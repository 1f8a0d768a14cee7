// Profanity from the bundled dictionary (bad-words' list) and the site's own additions, found
// through disguises (see profanity/normalise.ts), with each word's place in the original text.
import type { FieldMatch, Filter } from './filter.ts';
import { MAX_RECORDED_MATCHES } from './filter.ts';
import type { WordMatch } from './profanity/matcher.ts';
import { profanityMatcherFor } from './profanity/profanity-matcher.ts';
import { describeMatches } from './word-lists.ts';

const IN_NAME = { inName: true, limit: MAX_RECORDED_MATCHES };
const IN_BODY = { inName: false, limit: MAX_RECORDED_MATCHES };

function toFieldMatches(field: 'name' | 'body', text: string, found: readonly WordMatch[], out: FieldMatch[]): void {
  for (let i = 0; i < found.length && out.length < MAX_RECORDED_MATCHES; i++) {
    const m = found[i]!;
    out.push({ field, word: m.word, start: m.start, end: m.end, text: text.slice(m.start, m.end) });
  }
}

export const profanityFilter: Filter = {
  name: 'profanity',
  prepare: (settings) => void profanityMatcherFor(settings),
  run({ comment, settings }) {
    const action = settings.profanityAction;
    if (action === 'off') return null;
    const matcher = profanityMatcherFor(settings);
    // This runs on every comment: nothing is allocated unless a word is found.
    const inName = matcher.findAll(comment.name, IN_NAME);
    const inBody = matcher.findAll(comment.body, IN_BODY);
    if (inName.length === 0 && inBody.length === 0) return null;
    const matches: FieldMatch[] = [];
    toFieldMatches('name', comment.name, inName, matches);
    toFieldMatches('body', comment.body, inBody, matches);
    return { action, code: 'profanity', detail: `Uses profanity: ${describeMatches(matches)}.`, data: { matches } };
  },
};
