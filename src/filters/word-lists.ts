// Shared by the blocked-words and hold-words filters: find a site's list in every text field.
import type { FieldMatch, FilterInput, TextField } from './filter.ts';
import { MAX_RECORDED_MATCHES } from './filter.ts';
import type { LiteralMatcher } from './literal-matcher.ts';

function fieldTexts(input: FilterInput): [TextField, string][] {
  const { comment, request } = input;
  const fields: [TextField, string | null][] = [
    ['name', comment.name],
    ['email', comment.email],
    ['body', comment.body],
    ['ip', request.ip],
    ['userAgent', request.userAgent],
  ];
  return fields.filter((f): f is [TextField, string] => typeof f[1] === 'string' && f[1] !== '');
}

export function findInFields(matcher: LiteralMatcher, input: FilterInput): FieldMatch[] {
  const out: FieldMatch[] = [];
  if (matcher.empty) return out;
  for (const [field, text] of fieldTexts(input)) {
    for (const m of matcher.findAll(text, MAX_RECORDED_MATCHES - out.length)) {
      out.push({ field, word: m.word, start: m.start, end: m.end, text: text.slice(m.start, m.end) });
    }
    if (out.length >= MAX_RECORDED_MATCHES) break;
  }
  return out;
}

/** "crypto" in body, "spam.example" in email */
export function describeMatches(matches: readonly FieldMatch[]): string {
  const shown = matches.slice(0, 5).map((m) => `"${m.word}" in ${m.field}`);
  return shown.join(', ') + (matches.length > 5 ? ` and ${matches.length - 5} more` : '');
}
