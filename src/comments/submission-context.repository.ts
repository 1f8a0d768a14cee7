// Everything a new comment needs to be judged, read in ONE statement: its article, its author's
// history on the site and any active ban. On this machine every statement costs a socket write and a
// wake-up of the database process, the largest single cost of a submission.
import { jsonArrayFrom, jsonObjectFrom } from 'kysely/helpers/postgres';
import { activeBanQuery } from '../bans/ban.repository.ts';
import type { DbOrTx } from '../db/database.ts';
import type { ArticleRow, BanRow } from '../db/schema.ts';
import type { CommentStatus } from '../domain/comment-status.ts';
import { authorCountsQuery } from './comment.repository.ts';
import { compiledShape } from './compiled-shape.ts';

export interface SubmissionContext {
  article: ArticleRow | null;
  authorCounts: Partial<Record<CommentStatus, number>>;
  /** Approved comments by this email under this name. */
  approvedUnderName: number;
  ban: BanRow | null;
}

/** Built and compiled once per shape (compiled-shape.ts): the hottest read of a submission. */
const contextQuery = compiledShape(
  (
    db: DbOrTx,
    p: {
      siteId: string;
      articleId: string;
      emailHash: string;
      name: string;
      banEmailHash: string;
      banDomains: string[];
      banIp: string | null;
      now: Date;
    },
  ) =>
    db.selectNoFrom((eb) => [
      jsonObjectFrom(
        eb.selectFrom('articles').selectAll().where('site_id', '=', p.siteId).where('external_id', '=', p.articleId),
      ).as('article'),
      jsonArrayFrom(authorCountsQuery(db, p.siteId, p.emailHash, p.name)).as('author'),
      jsonObjectFrom(
        activeBanQuery(db, p.siteId, { emailHash: p.banEmailHash, domains: p.banDomains, ip: p.banIp }, p.now),
      ).as('ban'),
    ]),
);

// Rows come back as JSON: timestamps are strings there.
const date = (v: unknown): Date | null => (v === null || v === undefined ? null : new Date(v as string));

export async function loadSubmissionContext(
  db: DbOrTx,
  q: {
    siteId: string;
    articleId: string;
    emailHash: string;
    name: string;
    banSubject: { emailHash: string; domains: string[]; ip: string | null };
    now: Date;
  },
): Promise<SubmissionContext> {
  const { banSubject: who } = q;
  const { rows } = await db.executeQuery(
    contextQuery(db, {
      siteId: q.siteId,
      articleId: q.articleId,
      emailHash: q.emailHash,
      name: q.name,
      banEmailHash: who.emailHash,
      banDomains: who.domains,
      banIp: who.ip,
      now: q.now,
    }),
  );
  const row = rows[0]!;
  const a = row.article as
    | (Omit<ArticleRow, 'closed_at' | 'first_comment_at' | 'edited_at' | 'reopened_at' | 'created_at'> &
        Record<string, unknown>)
    | null;
  const b = row.ban as (Omit<BanRow, 'created_at' | 'expires_at' | 'lifted_at'> & Record<string, unknown>) | null;
  const author = row.author as { status: CommentStatus; n: number; same_name: number }[];
  return {
    article: a
      ? {
          ...a,
          closed_at: date(a.closed_at),
          first_comment_at: date(a.first_comment_at),
          edited_at: date(a.edited_at),
          reopened_at: date(a.reopened_at),
          created_at: date(a.created_at)!,
        }
      : null,
    authorCounts: Object.fromEntries(author.map((r) => [r.status, Number(r.n)])),
    approvedUnderName: Number(author.find((r) => r.status === 'approved')?.same_name ?? 0),
    ban: b
      ? { ...b, created_at: date(b.created_at)!, expires_at: date(b.expires_at), lifted_at: date(b.lifted_at) }
      : null,
  };
}
