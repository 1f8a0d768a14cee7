// What moderators read for a token: words and domains as they are, features in plain words, and
// the hashed name and email tokens only as "name (seen in spam)": their value is unknowable.

export type TokenKind = 'word' | 'phrase' | 'part' | 'link' | 'email-domain' | 'name' | 'email' | 'feature';

export interface TokenDescription {
  kind: TokenKind;
  text: string;
}

const FEATURES: Readonly<Record<string, string>> = {
  'links:0': 'no links',
  'links:1': '1 link',
  'links:2': '2 links',
  'links:3': '3-5 links',
  'links:6': '6 or more links',
  'length:0': 'under 50 characters',
  'length:50': '50-199 characters',
  'length:200': '200-999 characters',
  'length:1000': '1,000-2,999 characters',
  'length:3000': '3,000 characters or more',
  'caps:0': 'capitals: under 10%',
  'caps:10': 'capitals: 10-29%',
  'caps:30': 'capitals: 30-59%',
  'caps:60': 'capitals: 60% or more',
  'author-approved:0': 'author: no approved comments',
  'author-approved:1': 'author: 1 approved comment',
  'author-approved:2': 'author: 2-4 approved comments',
  'author-approved:5': 'author: 5 or more approved comments',
  'author-spam:0': 'author: no spam before',
  'author-spam:1': 'author: spam before',
  'email:none': 'no usable email address',
  'name-link': 'a link in the name',
  'link-ip': 'a link to an IP address',
  'link-digits': 'a link to a domain with digits',
  'link-hyphen': 'a link to a domain with a hyphen',
  'link-deep': 'a link to a deep subdomain',
  'name-digits': 'digits in the name',
  'name-words:0': 'no name',
  'name-words:1': 'a one-word name',
  'name-words:2': 'a two-word name',
  'name-words:3': 'a three-word name',
  'name-words:4': 'a name of four or more words',
};

/** Shape tokens (text-shape.ts): "s:excl:3" reads "exclamation marks: 3 or more". */
const SHAPES: Readonly<Record<string, string>> = {
  capslines: 'lines in capitals: {}%+',
  excl: 'exclamation marks: {}+',
  money: 'amounts of money: {}+',
  percent: 'percentages: {}+',
  foreign: 'characters outside ASCII: {}%+',
  lines: 'lines: {}+',
  blank: 'empty lines: {}+',
  cjk: 'Chinese, Japanese or Korean text',
  html: 'HTML markup in the text',
  quote: 'a quoted line',
  rule: 'a ruler line (_____ or =====)',
  run: 'a character repeated 6+ times',
};

function shape(value: string): string {
  const [name, n] = value.split(':') as [string, string | undefined];
  const text = SHAPES[name];
  return text ? text.replace('{}', n ?? '') : value;
}

function part(gram: string): string {
  const start = gram.startsWith('^');
  const end = gram.endsWith('$');
  const core = gram.slice(start ? 1 : 0, end ? -1 : undefined);
  return `${start ? '' : '…'}${core}${end ? '' : '…'}`;
}

/** `spammy`: whether the token leans to spam, which is all a hashed token can tell. */
export function describeToken(label: string, spammy: boolean): TokenDescription {
  const colon = label.indexOf(':');
  if (colon === -1) return { kind: 'word', text: label };
  const value = label.slice(colon + 1);
  const seen = spammy ? 'seen in spam' : 'seen in approved comments';
  switch (label.slice(0, colon)) {
    case 'g':
      return { kind: 'part', text: part(value) };
    case 'b':
      return { kind: 'phrase', text: value };
    case 's':
      return { kind: 'feature', text: shape(value) };
    case 'u':
      return { kind: 'word', text: value.toUpperCase() };
    case 'd':
      return { kind: 'link', text: `link to ${value}` };
    case 't':
      return { kind: 'link', text: `link to a .${value} address` };
    case 'e':
      return { kind: 'email-domain', text: `email at ${value}` };
    case 'n':
      return { kind: 'name', text: `name (${seen})` };
    case 'm':
      return { kind: 'email', text: `email address (${seen})` };
    case 'x':
      return {
        kind: 'feature',
        text: value === 'email' ? 'an email address in the text' : `a word of ${value.slice(5)}+ characters`,
      };
    default:
      return { kind: 'feature', text: FEATURES[value] ?? value };
  }
}
