// Per-site settings of the comment filters (src/filters/), validated on write. Word lists are plain
// text matched literally, never compiled as regular expressions; lists and entries have caps so a
// site's settings stay small enough to load on every request.
import { z } from 'zod';
import { PROFANITY_ACTIONS } from '../filters/filter.ts';
import { parseIpRange } from '../filters/ip-ranges.ts';
import { codesToString, normaliseWord } from '../filters/profanity/normalise.ts';
import { textProblem } from '../shared/text.ts';

export const MAX_LIST_ENTRIES = 5_000;
export const MAX_WORD_CHARS = 100;
/** The schema's absolute cap on a comment body (src/comments/comment.schemas.ts). */
const BODY_CAP = 10_000;

const REGEX_LITERAL = /^\/.+\/[a-z]*$/;

function list<T extends z.ZodType<string>>(entry: T) {
  return (
    z
      .array(entry)
      .max(MAX_LIST_ENTRIES, `must have at most ${MAX_LIST_ENTRIES.toLocaleString('en')} entries`)
      // Duplicates add nothing; they are dropped, keeping the first spelling.
      .transform((entries) => {
        const seen = new Set<string>();
        return entries.filter((e) => !seen.has(e.toLowerCase()) && seen.add(e.toLowerCase()));
      })
      .default([])
  );
}

/** A word or phrase matched literally and case-insensitively (WordPress style). */
const literalWord = z.string().transform((raw, ctx) => {
  const value = raw.trim();
  const problem =
    value === ''
      ? 'must not be empty'
      : value.length > MAX_WORD_CHARS
        ? `must be at most ${MAX_WORD_CHARS} characters`
        : textProblem(value, false)
          ? `"${value.slice(0, 40)}" ${textProblem(value, false)}`
          : REGEX_LITERAL.test(value)
            ? `"${value.slice(0, 40)}" looks like a regular expression; word lists are plain text, matched literally`
            : null;
  if (problem) {
    ctx.addIssue({ code: 'custom', message: problem });
    return z.NEVER;
  }
  return value;
});

/** A word for the profanity dictionary: it is normalised like comment text, so it needs letters. */
const profanityWord = literalWord.transform((value, ctx) => {
  if (value.includes('*')) {
    ctx.addIssue({
      code: 'custom',
      message: `"${value.slice(0, 40)}" contains "*"; list the plain word, spellings such as f*ck are caught anyway`,
    });
    return z.NEVER;
  }
  if (codesToString(normaliseWord(value).codes).replace(/ /g, '') === '') {
    ctx.addIssue({ code: 'custom', message: `"${value.slice(0, 40)}" has no letters` });
    return z.NEVER;
  }
  return value;
});

const blockedEmail = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, 'must be at most 254 characters')
  .pipe(z.email('must be an email address such as someone@example.com'));

const HOSTNAME = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
/** "example.com" blocks addresses at example.com and its subdomains; "@example.com" is accepted too. */
const blockedDomain = z.string().transform((raw, ctx) => {
  const value = raw
    .trim()
    .toLowerCase()
    .replace(/^@|^\*\./, '');
  if (!HOSTNAME.test(value)) {
    ctx.addIssue({ code: 'custom', message: `"${raw.slice(0, 60)}" is not a domain such as example.com` });
    return z.NEVER;
  }
  return value;
});

const blockedIp = z.string().transform((raw, ctx) => {
  const value = raw.trim();
  if (!parseIpRange(value)) {
    ctx.addIssue({
      code: 'custom',
      message: `"${raw.slice(0, 60)}" is not an IP address or CIDR range such as 203.0.113.0/24 or 2001:db8::/32`,
    });
    return z.NEVER;
  }
  return value;
});

const optionalLimit = (min: number, max: number, fallback: number | null) =>
  z.number().int().min(min).max(max).nullable().default(fallback);

export const filterSettingsShape = {
  /** Spam when the form is submitted sooner than this after it was shown (0: off). */
  minSubmitSeconds: z.number().min(0).max(600).default(3),
  /** Reject comments containing any of these (name, email, body, IP, user agent). */
  blockedWords: list(literalWord),
  /** Hold comments containing any of these (name, email, body, IP, user agent). */
  holdWords: list(literalWord),
  /** What to do with a comment using a word of the bundled profanity dictionary. */
  profanityAction: z.enum(PROFANITY_ACTIONS).default('hold'),
  /** Words added to the profanity dictionary, matched with the same evasion handling. */
  profanityWords: list(profanityWord),
  /** Words never counted as profanity: dictionary words to drop, or innocent words to let through. */
  profanityExceptions: list(profanityWord),
  /** Hold a comment with this many links or more (null: no limit). */
  linkLimit: optionalLimit(1, 100, 2),
  blockedEmails: list(blockedEmail),
  blockedDomains: list(blockedDomain),
  /** IPv4 or IPv6 addresses and CIDR ranges. */
  blockedIps: list(blockedIp),
  /** The same author (email) or IP may post once per this many seconds (0: off). */
  floodIntervalSeconds: z.number().int().min(0).max(86_400).default(15),
  /** Hold comments mostly in capitals once they have this many letters (null: off). */
  shoutingMinLetters: optionalLimit(5, BODY_CAP, 30),
  /** Hold comments with a character repeated more than this many times in a row (null: off). */
  maxRepeatedChars: optionalLimit(3, BODY_CAP, 10),
  /** The learned spam score (0-1) at which a comment is held for a moderator. */
  spamScoreHold: z.number().min(0).max(1).default(0.9),
  /** The learned spam score at which a comment is marked spam outright (null: never). */
  spamScoreSpam: z.number().min(0).max(1).nullable().default(null),
  /** The learned score counts once its model has learned this many decisions (the site's own or the shared base's). */
  spamMinDecisions: z.number().int().min(1).max(1_000_000).default(50),
  /** Body length limits in characters, within the absolute cap of 10,000. */
  minBodyLength: z.number().int().min(1).max(BODY_CAP).default(1),
  maxBodyLength: z.number().int().min(1).max(BODY_CAP).default(BODY_CAP),
};

/** Checks between filter settings, for the site schema's superRefine. */
export function checkFilterSettings(s: { minBodyLength: number; maxBodyLength: number }, ctx: z.RefinementCtx): void {
  if (s.minBodyLength > s.maxBodyLength) {
    ctx.addIssue({
      code: 'custom',
      path: ['minBodyLength'],
      message: `must not be more than maxBodyLength (${s.maxBodyLength})`,
    });
  }
}
