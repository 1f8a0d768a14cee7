// A comment's tokens for the spam model: the body's words (body-tokens.ts), the domains it links to,
// the email's domain, the name, and simple binned features ("f:links:3", "f:length:1000",
// "f:caps:60", "f:author-approved:0"), and "x:email" when the body holds an address (the address
// itself is dropped). Every token derived from the name or the email address is a
// keyed hash ("n:3fa9…", "m:…"), so a stored model holds no personal data and an erased author
// leaves nothing behind; the hash is the caller's (HMAC with the server secret), so nobody without
// the secret can test a guess against the model.

import { type BodyStats, BodyTokenizer, type NgramMode } from './body-tokens.ts';
import { foldText } from './char-fold.ts';
import { labelKey, TokenBuffer } from './token-keys.ts';

export interface SpamInput {
  name: string;
  email: string;
  body: string;
  /** The links the caller already found (URLs); when absent, they are found in the body. */
  links?: readonly string[];
  /**
   * The caller's keyed hash of the address, when it has one already (the author identity HMAC):
   * it stands for the address token, sparing one hash per comment. Must be the same for every call.
   */
  emailHash?: string;
  /** The author's earlier decided comments on this site, when known. */
  authorHistory?: { approved: number; spam: number };
}

export interface FeatureOptions {
  /** A keyed hash of a personal value, e.g. HMAC-SHA256 with the server secret, as hex. */
  hashPersonal: (value: string) => string;
  /** Character 4-grams of disguised words only (default), of every word, or none. */
  ngrams?: NgramMode;
  /** Word pairs as tokens too ("b:click here"); default on. */
  bigrams?: boolean;
  /** Words written in capitals as tokens too ("u:free"); default on. */
  caps?: boolean;
  /** Numbers as their shape ("####", "$###") rather than their value; default on. */
  numberShapes?: boolean;
}

/** Hex digits of the personal hash kept in a label: 64 bits, plenty for one site's authors. */
const PERSONAL_HASH_CHARS = 16;
const MAX_HOSTS = 20;
const MAX_NAME_WORDS = 8;
const HOST_CHAR = /[a-z0-9.-]/i;

const bin = (value: number, bounds: readonly number[]) => {
  let lower = 0;
  for (const b of bounds) if (value >= b) lower = b;
  return lower;
};
const LINK_BINS = [0, 1, 2, 3, 6];
const LENGTH_BINS = [0, 50, 200, 1000, 3000];
const CAPS_BINS = [0, 10, 30, 60];
const APPROVED_BINS = [0, 1, 2, 5];
const SPAM_BINS = [0, 1];
/** Too few letters to say a comment shouts. */
const MIN_LETTERS_FOR_CAPS = 20;

/** The domains a link names: the host without "www.", and its last two labels when longer. */
export function linkDomains(host: string): string[] {
  const clean = host
    .toLowerCase()
    .replace(/^www\./, '')
    .replace(/\.+$/, '');
  if (!clean.includes('.') || !/[a-z]/.test(clean)) return [];
  const labels = clean.split('.');
  // "example.co.uk": a short second-level label under a country code belongs to the suffix.
  const suffix = labels.length > 2 && labels.at(-1)!.length === 2 && labels.at(-2)!.length <= 3 ? 3 : 2;
  const short = labels.length > suffix ? labels.slice(-suffix).join('.') : null;
  return short && short !== clean ? [clean, short] : [clean];
}

function hostAt(text: string, start: number): string {
  let end = start;
  while (end < text.length && end - start < 253 && HOST_CHAR.test(text[end]!)) end++;
  return text.slice(start, end);
}

/** Hosts of the http(s):// and www. links in a text. */
export function findLinkHosts(text: string): string[] {
  const hosts: string[] = [];
  for (let i = text.indexOf('://'); i !== -1 && hosts.length < MAX_HOSTS; i = text.indexOf('://', i + 3)) {
    const scheme = text.slice(Math.max(0, i - 5), i).toLowerCase();
    if (scheme.endsWith('http') || scheme === 'https') hosts.push(hostAt(text, i + 3));
  }
  // One pass (a global regex continues where it stopped), so a body full of "www." stays linear.
  const www = /www\./gi;
  for (let match = www.exec(text); match && hosts.length < MAX_HOSTS; match = www.exec(text)) {
    const before = match.index > 0 ? text[match.index - 1]! : ' ';
    if (!/[/\w.]/.test(before)) hosts.push(hostAt(text, match.index));
  }
  return hosts;
}

// Bounded parts, so a long run of letters without "@" costs each start position at most 64 steps.
const EMAIL = /[\p{L}\p{N}._%+-]{1,64}@[\p{L}\p{N}-]{1,63}(?:\.[\p{L}\p{N}-]{1,63}){1,8}/gu;

/** The body with email addresses blanked: an address is personal data and never becomes a token. */
export function withoutEmails(body: string): string {
  return body.includes('@') ? body.replace(EMAIL, ' ') : body;
}

function hostOfLink(link: string): string {
  const start = link.indexOf('://');
  return hostAt(link, start === -1 ? 0 : start + 3);
}

export class FeatureExtractor {
  private readonly body: BodyTokenizer;
  private readonly keys = new Map<string, readonly [number, number]>();
  private readonly stats: BodyStats = { letters: 0, upper: 0 };

  constructor(private readonly options: FeatureOptions) {
    this.body = new BodyTokenizer(options.ngrams ?? 'disguised', {
      bigrams: options.bigrams ?? true,
      caps: options.caps ?? true,
      numberShapes: options.numberShapes ?? true,
    });
  }

  /** Clears `out` and fills it with the comment's tokens (duplicates included). */
  extract(input: SpamInput, out: TokenBuffer): void {
    out.clear();
    this.stats.letters = 0;
    this.stats.upper = 0;
    const body = withoutEmails(input.body);
    this.body.tokenize(body, out, this.stats);
    if (body !== input.body) this.feature(out, 'x:email');
    const hosts = input.links ? input.links.slice(0, MAX_HOSTS).map(hostOfLink) : findLinkHosts(body);
    for (const host of hosts) for (const domain of linkDomains(host)) out.pushLabel(`d:${domain}`);
    this.feature(out, `f:links:${bin(hosts.length, LINK_BINS)}`);
    this.feature(out, `f:length:${bin(input.body.length, LENGTH_BINS)}`);
    const { letters, upper } = this.stats;
    if (letters >= MIN_LETTERS_FOR_CAPS) this.feature(out, `f:caps:${bin((upper / letters) * 100, CAPS_BINS)}`);
    this.addEmail(input.email, input.emailHash, out);
    this.addName(input.name, out);
    const history = input.authorHistory;
    if (history) {
      this.feature(out, `f:author-approved:${bin(history.approved, APPROVED_BINS)}`);
      this.feature(out, `f:author-spam:${bin(history.spam, SPAM_BINS)}`);
    }
  }

  /** The comment's distinct token labels, sorted: what training counts and a snapshot stores. */
  labels(input: SpamInput): string[] {
    const out = new TokenBuffer(true);
    this.extract(input, out);
    return [...new Set(out.labels)].sort();
  }

  private addEmail(email: string, emailHash: string | undefined, out: TokenBuffer): void {
    const address = email.trim().toLowerCase();
    const at = address.lastIndexOf('@');
    const domain = at > 0 ? address.slice(at + 1).replace(/\.+$/, '') : '';
    if (!domain.includes('.')) {
      this.feature(out, 'f:email:none');
      return;
    }
    out.pushLabel(`e:${domain}`);
    const hash = emailHash ? emailHash.slice(0, PERSONAL_HASH_CHARS) : this.personal(`email:${address}`);
    out.pushLabel(`m:${hash}`);
  }

  private addName(name: string, out: TokenBuffer): void {
    if (/:\/\/|www\./i.test(name)) this.feature(out, 'f:name-link');
    if (/\d/.test(name)) this.feature(out, 'f:name-digits');
    const words = foldText(name).split(' ').filter(Boolean);
    this.feature(out, `f:name-words:${Math.min(words.length, 4)}`);
    // One token per word ("cheap", "pills" recur across spammers' names); the author's identity is
    // the email token, so the whole name adds little and would cost another hash per comment.
    for (const word of new Set(words.slice(0, MAX_NAME_WORDS))) out.pushLabel(`n:${this.personal(`name:${word}`)}`);
  }

  private personal(value: string): string {
    return this.options.hashPersonal(value).slice(0, PERSONAL_HASH_CHARS);
  }

  /** A feature token from the small fixed set: its key is computed once. */
  private feature(out: TokenBuffer, label: string): void {
    let key = this.keys.get(label);
    if (!key) {
      key = labelKey(label);
      this.keys.set(label, key);
    }
    out.push(key[0], key[1]);
    out.labels?.push(label);
  }
}
