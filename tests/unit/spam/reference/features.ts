// FROZEN COPY (tests only) of the feature extractor as it was before the second throughput pass of
// issue 16 (before names and addresses had their tokens cached and the shape pass its table): the
// reference src/spam/features.ts must match token for token (scorer-equivalence.test.ts).
// A comment's tokens for the spam model: the body's words (body-tokens.ts), the domains it links to,
// the email's domain, the name, and simple binned features ("f:links:3", "f:length:1000",
// "f:caps:60", "f:author-approved:0"), and "x:email" when the body holds an address (the address
// itself is dropped). Every token derived from the name or the email address is a
// keyed hash ("n:3fa9…", "m:…"), so a stored model holds no personal data and an erased author
// leaves nothing behind; the hash is the caller's (HMAC with the server secret), so nobody without
// the secret can test a guess against the model.

import { type BodyStats, BodyTokenizer, type NgramMode } from '../../../../src/spam/body-tokens.ts';
import { labelKey, TokenBuffer } from '../../../../src/spam/token-keys.ts';
import { foldText } from './char-fold.ts';
import { SHAPE_LABELS, shapeOf } from './text-shape.ts';

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
  /** The text's layout as tokens ("s:capslines:30", "s:html"; text-shape.ts); default on. */
  shape?: boolean;
  /** What a link's host looks like ("t:biz", "f:link-ip", "f:link-digits"; hostShape); default off. */
  linkShape?: boolean;
}

/** Hex digits of the personal hash kept in a label: 64 bits, plenty for one site's authors. */
const PERSONAL_HASH_CHARS = 16;
const MAX_HOSTS = 20;
const MAX_NAME_WORDS = 8;
const HOST_CHAR = /[a-z0-9.-]/i;

/** The index of the bin (by lower bound) a value falls in. */
const bin = (value: number, bounds: readonly number[]) => {
  let index = 0;
  for (let i = 0; i < bounds.length; i++) if (value >= bounds[i]!) index = i;
  return index;
};
const LINK_BINS = [0, 1, 2, 3, 6];
const LENGTH_BINS = [0, 50, 200, 1000, 3000];
const CAPS_BINS = [0, 10, 30, 60];
const APPROVED_BINS = [0, 1, 2, 5];
const SPAM_BINS = [0, 1];
const labelsOf = (prefix: string, bounds: readonly number[]) => bounds.map((b) => `${prefix}${b}`);
const LINK_LABELS = labelsOf('f:links:', LINK_BINS);
const LENGTH_LABELS = labelsOf('f:length:', LENGTH_BINS);
const CAPS_LABELS = labelsOf('f:caps:', CAPS_BINS);
const APPROVED_LABELS = labelsOf('f:author-approved:', APPROVED_BINS);
const SPAM_LABELS = labelsOf('f:author-spam:', SPAM_BINS);
/** Hosts whose domain labels are kept, so a popular link costs no string work per comment. */
const MAX_CACHED_HOSTS = 4096;
const SHAPE_KEYS = SHAPE_LABELS.map(labelKey);
/** Too few letters to say a comment shouts. */
const MIN_LETTERS_FOR_CAPS = 20;

/** The domains a link names: the host without "www.", and its last two labels when longer. */
function linkDomains(host: string): string[] {
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

const IP_HOST = /^\d{1,3}(\.\d{1,3}){3}$/;

/**
 * Tokens for what a link's host looks like, which carries over to domains never seen before:
 * its top-level domain ("t:biz"), a bare IP address, digits or hyphens in the registered name
 * ("cheap-meds4u.com"), and a deep host ("a.b.example.com"). At most one of each per comment.
 */
function hostShape(host: string): string[] {
  const clean = host
    .toLowerCase()
    .replace(/^www\./, '')
    .replace(/\.+$/, '');
  if (IP_HOST.test(clean)) return ['f:link-ip'];
  const domains = linkDomains(clean);
  if (domains.length === 0) return [];
  const labels = clean.split('.');
  const out = [`t:${labels.at(-1)!}`];
  const registered = domains.at(-1)!.split('.')[0]!;
  if (/\d/.test(registered)) out.push('f:link-digits');
  if (registered.includes('-')) out.push('f:link-hyphen');
  if (labels.length > domains.at(-1)!.split('.').length + 1) out.push('f:link-deep');
  return out;
}

function hostAt(text: string, start: number): string {
  let end = start;
  while (end < text.length && end - start < 253 && HOST_CHAR.test(text[end]!)) end++;
  return text.slice(start, end);
}

/** Hosts of the http(s):// and www. links in a text. */
function findLinkHosts(text: string): string[] {
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

const isLocalChar = (c: number) =>
  (c >= 0x61 && c <= 0x7a) ||
  (c >= 0x41 && c <= 0x5a) ||
  (c >= 0x30 && c <= 0x39) ||
  c === 0x2e ||
  c === 0x5f ||
  c === 0x25 ||
  c === 0x2b ||
  c === 0x2d;
const isDomainChar = (c: number) =>
  (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x2d;

/** The end of the domain of an address whose "@" is at `at`, or -1 when no dotted domain follows. */
function domainEnd(body: string, at: number): number {
  let end = at + 1;
  let dots = 0;
  let label = 0;
  while (end < body.length && end - at < 254) {
    const c = body.charCodeAt(end);
    if (isDomainChar(c)) label++;
    else if (c === 0x2e && label > 0 && isDomainChar(body.charCodeAt(end + 1))) {
      dots++;
      label = 0;
    } else break;
    end++;
  }
  return dots > 0 && label > 0 ? end : -1;
}

/**
 * The body with email addresses blanked: an address is personal data and never becomes a token.
 * One pass from each "@" outwards, the local part capped at 64 characters, so any text is linear.
 */
function withoutEmails(body: string): string {
  let out = '';
  let from = 0;
  for (let at = body.indexOf('@'); at !== -1; at = body.indexOf('@', at + 1)) {
    let start = at;
    while (start > from && at - start < 64 && isLocalChar(body.charCodeAt(start - 1))) start--;
    const end = start < at ? domainEnd(body, at) : -1;
    if (end === -1) continue;
    out += `${body.slice(from, start)} `;
    from = end;
    at = end - 1;
  }
  return from === 0 ? body : out + body.slice(from);
}

function hostOfLink(link: string): string {
  const start = link.indexOf('://');
  return hostAt(link, start === -1 ? 0 : start + 3);
}

export class FeatureExtractor {
  private readonly body: BodyTokenizer;
  /** Keys of feature and link labels, computed once; bounded like the host cache. */
  private readonly keys = new Map<string, readonly [number, number]>();
  private readonly hosts = new Map<string, readonly string[]>();
  private readonly stats: BodyStats = { letters: 0, upper: 0 };
  private readonly shapes: number[] = [];

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
    for (const host of hosts) for (const label of this.hostLabels(host)) this.feature(out, label);
    this.feature(out, LINK_LABELS[bin(hosts.length, LINK_BINS)]!);
    this.feature(out, LENGTH_LABELS[bin(input.body.length, LENGTH_BINS)]!);
    const { letters, upper } = this.stats;
    if (letters >= MIN_LETTERS_FOR_CAPS) this.feature(out, CAPS_LABELS[bin((upper / letters) * 100, CAPS_BINS)]!);
    if (this.options.shape ?? true) {
      this.shapes.length = 0;
      shapeOf(input.body, this.shapes);
      for (const k of this.shapes) {
        const [h1, h2] = SHAPE_KEYS[k]!;
        out.push(h1, h2);
        out.labels?.push(SHAPE_LABELS[k]!);
      }
    }
    this.addEmail(input.email, input.emailHash, out);
    this.addName(input.name, out);
    const history = input.authorHistory;
    if (history) {
      this.feature(out, APPROVED_LABELS[bin(history.approved, APPROVED_BINS)]!);
      this.feature(out, SPAM_LABELS[bin(history.spam, SPAM_BINS)]!);
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

  private hostLabels(host: string): readonly string[] {
    let labels = this.hosts.get(host);
    if (!labels) {
      labels = linkDomains(host).map((domain) => `d:${domain}`);
      if (this.options.linkShape ?? false) labels = [...labels, ...hostShape(host)];
      if (this.hosts.size >= MAX_CACHED_HOSTS) this.hosts.clear();
      this.hosts.set(host, labels);
    }
    return labels;
  }

  private personal(value: string): string {
    return this.options.hashPersonal(value).slice(0, PERSONAL_HASH_CHARS);
  }

  /** A token whose key is worth keeping: a feature from the fixed set, or a link domain. */
  private feature(out: TokenBuffer, label: string): void {
    let key = this.keys.get(label);
    if (!key) {
      key = labelKey(label);
      if (this.keys.size >= MAX_CACHED_HOSTS * 2) this.keys.clear();
      this.keys.set(label, key);
    }
    out.push(key[0], key[1]);
    out.labels?.push(label);
  }
}
