// The normalised records every import parser yields, whatever the source system.
// Parsers are pure readers: they never touch the database. The importer (a later layer) maps
// records to articles and comments, decides what to keep, and owns idempotency.

export const IMPORT_FORMATS = ['wxr', 'disqus', 'isso', 'remark42', 'jsonl'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** Our comment lifecycle statuses; every source status is mapped onto one of them. */
export const IMPORTED_STATUSES = ['approved', 'pending', 'rejected', 'spam', 'deleted'] as const;
export type ImportedStatus = (typeof IMPORTED_STATUSES)[number];
export const IMPORTED_KINDS = ['comment', 'pingback', 'trackback'] as const;
export type ImportedKind = (typeof IMPORTED_KINDS)[number];

export function isImportedStatus(value: unknown): value is ImportedStatus {
  return typeof value === 'string' && (IMPORTED_STATUSES as readonly string[]).includes(value);
}

/** What the file says about itself; always the first record. */
export interface ImportedSource {
  type: 'source';
  format: ImportFormat;
  /** Format version as the file states it (WXR "1.2", Remark42 "1", our "1"), null when unstated. */
  version: string | null;
  title: string | null;
  url: string | null;
  /** Site id recorded in the file (our own export), null otherwise. */
  siteId: string | null;
}

export interface ImportedArticle {
  type: 'article';
  /** The source's stable key for the thread; comments refer to it as articleKey. */
  sourceKey: string;
  /** The id the publisher's pages gave the thread, when distinct from sourceKey (Disqus `<id>`). */
  identifier: string | null;
  url: string | null;
  title: string | null;
  createdAt: Date | null;
  /** Closed to new comments; null when the source does not say. */
  closed: boolean | null;
  /** When it was closed, if the source knows (our own export). */
  closedAt: Date | null;
  /** 1-based line in the file where the record starts, for reports; null for non-text sources. */
  line: number | null;
}

export interface ImportedComment {
  type: 'comment';
  sourceId: string;
  articleKey: string;
  parentSourceId: string | null;
  /** Display name; '' when the source has none (and for deleted placeholders). */
  name: string;
  email: string | null;
  /** The author's website (http or https only). */
  url: string | null;
  ip: string | null;
  userAgent: string | null;
  /** The source's own id for the author (WordPress user id, Disqus username, Remark42 user id). */
  authorKey: string | null;
  /** Plain text as the reader wrote it, with \n line breaks (see html-to-text.ts). */
  body: string;
  createdAt: Date;
  status: ImportedStatus;
  /** The source's raw status, kept for reports ("1", "trash", "isSpam", "mode=2"). */
  sourceStatus: string;
  kind: ImportedKind;
  line: number | null;
}

export type SkipReason =
  | 'post-type'
  /** WordPress comment types that are not readers' comments: editors' notes (WordPress 6.9), plugins' own. */
  | 'comment-type'
  | 'deleted-thread'
  /** A Disqus post whose thread is not in the file (Disqus keeps posts of threads it no longer lists). */
  | 'missing-thread'
  | 'invalid'
  | 'unknown-record';

/** Something in the file that was deliberately not turned into a record, so reports can count it. */
export interface ImportSkipped {
  type: 'skipped';
  reason: SkipReason;
  sourceId: string | null;
  detail: string;
  line: number | null;
}

export type ImportRecord = ImportedSource | ImportedArticle | ImportedComment | ImportSkipped;
