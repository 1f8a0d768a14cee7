// --remap rules: how an old site's article URLs become the new ones, e.g. after a domain or
// permalink change. One rule a line (a file, or the --remap value; several values add up):
//   http://old.example.com/blog/ => https://example.com/      prefix: replaces a leading match
//   ~^https?://example\.com/\?p=(\d+)$ => https://example.com/p/$1   regex (RE2 syntax): the first
//                                          match is replaced, $1… are its groups
//   # comments and blank lines are ignored
// The first rule that matches wins; a URL no rule matches is kept. Regexes run on RE2 (re2js, pure
// JS, linear time), because rules can come through the admin API: no pattern can backtrack
// for minutes on a crafted URL.
import { RE2JS } from 're2js';
import { ValidationError } from '../shared/errors.ts';

export type RemapRule =
  | { kind: 'prefix'; from: string; to: string; line: number }
  | { kind: 'regex'; pattern: RE2JS; source: string; to: string; line: number };

const ARROW = ' => ';
const MAX_RULES = 1000;
const MAX_PATTERN = 1000;

function invalid(line: number, message: string): ValidationError {
  return new ValidationError([{ path: `remap[${line}]`, message }], `Remap rule on line ${line}: ${message}.`);
}

function parseRule(text: string, line: number): RemapRule {
  const at = text.indexOf(ARROW);
  if (at === -1) throw invalid(line, `expected "old => new", got ${JSON.stringify(text.slice(0, 80))}`);
  const from = text.slice(0, at).trim();
  const to = text.slice(at + ARROW.length).trim();
  if (!from) throw invalid(line, 'the part before "=>" is empty');
  if (!from.startsWith('~')) return { kind: 'prefix', from, to, line };
  const source = from.slice(1);
  if (!source || source.length > MAX_PATTERN) throw invalid(line, `a regex must have 1 to ${MAX_PATTERN} characters`);
  try {
    return { kind: 'regex', pattern: RE2JS.compile(source), source, to, line };
  } catch (err) {
    throw invalid(line, `invalid regex: ${(err as Error).message}`);
  }
}

/** Parses rules (see above); a bad rule throws a ValidationError naming its line. */
export function parseRemapRules(text: string): RemapRule[] {
  const rules: RemapRule[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    if (rules.length >= MAX_RULES) throw invalid(index + 1, `more than ${MAX_RULES} rules`);
    rules.push(parseRule(line, index + 1));
  });
  return rules;
}

/** The URL after the first matching rule, or unchanged. */
export function remapUrl(rules: readonly RemapRule[], url: string): string {
  for (const rule of rules) {
    if (rule.kind === 'prefix') {
      if (url.startsWith(rule.from)) return rule.to + url.slice(rule.from.length);
      continue;
    }
    const matcher = rule.pattern.matcher(url);
    if (matcher.find()) return rule.pattern.matcher(url).replaceFirst(rule.to);
  }
  return url;
}
