// What every filter sees and returns. Filters are pure and synchronous: whatever needs I/O (the
// author's history, duplicates, rate limits) is loaded before they run (src/comments/filter-context.ts).
import type { ModerationMode } from '../domain/moderation-mode.ts';
import type { Verdict } from '../domain/verdict.ts';
import type { SpamScorer } from '../spam/spam-scorer.ts';

export const PROFANITY_ACTIONS = ['off', 'hold', 'reject', 'spam'] as const;
type ProfanityAction = (typeof PROFANITY_ACTIONS)[number];

/** The site settings the filters read (src/sites/ validates them; a site's settings are a superset). */
export interface FilterSettings {
  moderation: ModerationMode;
  /** In `first` mode, an author with approved comments is trusted only once verified. */
  requireVerifiedForTrust: boolean;
  minSubmitSeconds: number;
  blockedWords: string[];
  holdWords: string[];
  profanityAction: ProfanityAction;
  profanityWords: string[];
  profanityExceptions: string[];
  linkLimit: number | null;
  blockedEmails: string[];
  blockedDomains: string[];
  blockedIps: string[];
  shoutingMinLetters: number | null;
  maxRepeatedChars: number | null;
  spamScoreHold: number;
  spamScoreSpam: number | null;
  spamMinDecisions: number;
}

/** A site's learned spam model as this process holds it (src/spam-learning/spam-models.ts). */
export interface LearnedModel {
  scorer: SpamScorer;
  /** Decisions learned from the site's own moderators. */
  siteDecisions: number;
  /** Decisions in the shared base model (the other sites'). */
  baseDecisions: number;
}

/** The author's comments on this site so far, found by the email HMAC, by status. */
export interface AuthorHistory {
  approved: number;
  /**
   * Of the approved, those written under this comment's name. `first` mode trusts only name and email
   * together (WordPress's previously-approved check): a known email under a new name is held. Absent: 0.
   */
  approvedUnderName?: number;
  pending: number;
  rejected: number;
  /** The address was confirmed through a mailed link on this site. */
  verified?: boolean;
  spam: number;
}

export interface FilterInput {
  comment: {
    name: string;
    email: string;
    body: string;
    /** The honeypot field: people never see it, so it stays empty. */
    website: string | null;
    /** When the form was shown (ms since epoch), as the form reported it. */
    renderedAt: number | null;
    parentId: string | null;
  };
  request: { ip: string | null; userAgent: string | null };
  author: AuthorHistory;
  settings: FilterSettings;
  /** The article's own moderation mode, which wins over the site's; null or absent: the site's. */
  articleModeration?: ModerationMode | null;
  /** The learned spam model and the author's keyed email hash (its token), when the site has a model. */
  learned?: { model: LearnedModel; emailHash: string } | null;
  /** Now, in ms since epoch. */
  now: number;
}

export interface Filter {
  /** Short and stable: it names the filter in logs and tests. */
  name: string;
  run(input: FilterInput): Verdict | null;
  /**
   * Compiles what run() needs for these settings (word automata, IP ranges), cached by content, so
   * the first comment after settings are saved or loaded does not pay for it (see prepareFilters).
   */
  prepare?(settings: FilterSettings): void;
}

/** The text fields word lists look at, in the order moderators read them. */
export type TextField = 'name' | 'email' | 'body' | 'ip' | 'userAgent';

/** Where a word was found: the field and the span of the ORIGINAL text (UTF-16 offsets, end exclusive). */
export interface FieldMatch {
  field: TextField;
  word: string;
  start: number;
  end: number;
  /** The original text of the span, as the author wrote it ("f.u.c.k"). */
  text: string;
}

/** Matches recorded on one verdict; the rest are counted, not stored. */
export const MAX_RECORDED_MATCHES = 20;
