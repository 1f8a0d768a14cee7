// The submission's hook into bans: a banned author's new comment is rejected, with the ban as one of
// its reasons (moderators see why; the author is answered "pending" unless the site reveals rejections).
import type { DbOrTx } from '../db/database.ts';
import type { CommentStatus } from '../db/schema.ts';
import { decide, type Verdict } from '../moderation/verdict.ts';
import { findActiveBan } from './ban.repository.ts';
import { banSubject, banVerdict } from './ban-subject.ts';

export async function withActiveBan<D extends { status: CommentStatus; verdicts: Verdict[] }>(
  tx: DbOrTx,
  siteId: string,
  author: { email: string; emailHash: string; ip: string | null },
  decision: D,
): Promise<D> {
  const ban = await findActiveBan(tx, siteId, banSubject(author.email, author.emailHash, author.ip), new Date());
  if (!ban) return decision;
  const verdicts = [...decision.verdicts, banVerdict(ban)];
  return { ...decision, ...decide(verdicts), verdicts };
}
