// Writes one status change as ONE statement of data-modifying CTEs: the comment row (inserted with its
// first status, or updated), its moderation-log row, its outbox events, the article's counters and, for
// a submission, the Idempotency-Key's answer. Atomic without an explicit transaction, and one round trip
// on the hottest write paths. Each table's SQL comes from the module that owns the table; this module
// only puts them together, so a submission and a moderator's decision are written the same way.
import { type RawBuilder, sql } from 'kysely';
import {
  updateCountersFrom,
  updateManyCountersFrom,
  updateNewCommentCountersFrom,
} from '../articles/article.repository.ts';
import { type DbOrTx, jsonb } from '../db/database.ts';
import { insertEventsFrom, insertManyEventsFrom, type OutboxEvent } from '../events/outbox.repository.ts';
import {
  insertCommentReturningId,
  insertCommentsFrom,
  type NewCommentRow,
  raiseEventSeqReturningId,
  type StatusUpdate,
  updateStatusesFrom,
  updateStatusReturningId,
} from './comment.repository.ts';
import { claimKey, claimKeysFrom, type IdempotencyClaim } from './idempotency.repository.ts';
import { insertLogRowFrom, insertLogRowsFrom, type LogEntryInput } from './moderation-log.repository.ts';

export interface TransitionWrite {
  /** A new comment (with the Idempotency-Key it claims, if any), or an existing comment's change. */
  comment: { insert: NewCommentRow; claim: IdempotencyClaim | null } | { update: StatusUpdate };
  log: Omit<LogEntryInput, 'commentId'>;
  events: OutboxEvent[];
  counters: { articleId: number; publishedDelta: -1 | 0 | 1; firstCommentAt?: Date };
}

/** written: everything was stored; conflict: the new comment duplicates one (nothing stored); key_taken: the key is in use (nothing stored). */
export type TransitionOutcome = 'written' | 'conflict' | 'key_taken';

export async function writeTransition(db: DbOrTx, w: TransitionWrite): Promise<TransitionOutcome> {
  const ctes: RawBuilder<unknown>[] = [];
  const claim = 'insert' in w.comment ? w.comment.claim : null;
  if ('insert' in w.comment) {
    if (claim) ctes.push(sql`claimed as (${claimKey(w.comment.insert.siteId, claim)})`);
    ctes.push(
      sql`changed as (${insertCommentReturningId(w.comment.insert, claim ? 'claimed' : null, w.events.length)})`,
    );
  } else {
    ctes.push(sql`changed as (${updateStatusReturningId(w.comment.update, w.events.length)})`);
  }
  ctes.push(sql`logged as (${insertLogRowFrom('changed', w.log)})`);
  ctes.push(sql`announced as (${insertEventsFrom('changed', w.log.siteId, w.events)})`);
  const counters = updateCountersFrom('changed', w.counters);
  if (counters) ctes.push(sql`counted as (${counters})`);
  const { rows } = await sql<{ claimed: number; written: number }>`
    with ${sql.join(ctes)}
    select ${claim ? sql`(select count(*) from claimed)::int` : sql`1`} as claimed,
           (select count(*) from changed)::int as written`.execute(db);
  const r = rows[0]!;
  if (r.claimed === 0) return 'key_taken';
  return r.written === 1 ? 'written' : 'conflict';
}

/** A new comment's write, as one of a group commit. */
export type InsertWrite = Omit<TransitionWrite, 'comment'> & {
  comment: { insert: NewCommentRow; claim: IdempotencyClaim | null };
};

/**
 * Several new comments (a group commit, group-commit.ts) in ONE statement, each with exactly what
 * writeTransition writes for one and the same outcome: the rows go in as one jsonb parameter (one SQL
 * text whatever their number, so one named statement). In the order given: of two duplicates the first is
 * written. The caller keeps each Idempotency-Key to one write per batch (a key claimed twice in one
 * statement is an error). All or nothing: if the statement fails, nothing of any of them is stored.
 */
export async function writeNewComments(db: DbOrTx, writes: InsertWrite[]): Promise<TransitionOutcome[]> {
  const input = writes.map((w, ord) => {
    const c = w.comment.insert;
    const k = w.comment.claim;
    return {
      ord,
      id: c.id,
      site_id: c.siteId,
      article_id: c.articleId,
      parent_id: c.parentId,
      root_id: c.rootId,
      depth: c.depth,
      name: c.name,
      email: c.email,
      email_hash: c.emailHash,
      ip: c.ip,
      user_agent: c.userAgent,
      body: c.body,
      status: c.status,
      reasons: c.reasons,
      created_at: c.createdAt.toISOString(),
      event_count: w.events.length,
      claim_key: k?.key ?? null,
      fingerprint: k?.fingerprint ?? null,
      status_code: k?.statusCode ?? null,
      response: k ? k.response : null,
      actor_type: w.log.actorType,
      actor_id: w.log.actorId,
      from_status: w.log.from,
      to_status: w.log.to,
      log_reasons: w.log.reasons,
      note: w.log.note,
      published_delta: w.counters.publishedDelta,
    };
  });
  const events = writes.flatMap((w) =>
    w.events.map((e, i) => ({
      ...e,
      siteId: w.log.siteId,
      commentId: w.comment.insert.id,
      offsetFromLast: i + 1 - w.events.length,
    })),
  );
  const { rows } = await sql<{ ord: number; claimed: boolean; written: boolean }>`
    with input as materialized (
      select * from jsonb_to_recordset(${jsonb(input)}) as i (
        ord int, id uuid, site_id text, article_id int, parent_id uuid, root_id uuid, depth int, name text,
        email text, email_hash text, ip text, user_agent text, body text, status text, reasons jsonb,
        created_at timestamptz, event_count int, claim_key text, fingerprint text, status_code int,
        response jsonb, actor_type text, actor_id text, from_status text, to_status text, log_reasons jsonb,
        note text, published_delta int)),
    claimed as (${claimKeysFrom('input')}),
    changed as (${insertCommentsFrom('input', 'claimed')}),
    logged as (${insertLogRowsFrom('changed', 'input')}),
    announced as (${insertManyEventsFrom('changed', events)}),
    counted as (${updateNewCommentCountersFrom('changed', 'input')})
    select i.ord,
           (i.claim_key is null or exists (select 1 from claimed k where k.site_id = i.site_id and k.key = i.claim_key)) as claimed,
           exists (select 1 from changed c where c.id = i.id) as written
    from input i order by i.ord`.execute(db);
  return rows.map((r) => (!r.claimed ? 'key_taken' : r.written ? 'written' : 'conflict'));
}

/** Events about a comment whose status stays (a report queued it, its reports were decided): ONE statement, in sequence with its other events. */
export async function writeCommentEvents(
  db: DbOrTx,
  w: { commentId: string; siteId: string; events: OutboxEvent[] },
): Promise<void> {
  await sql`with changed as (${raiseEventSeqReturningId(w.commentId, w.events.length)}),
    announced as (${insertEventsFrom('changed', w.siteId, w.events)})
    select 1`.execute(db);
}

/** An existing comment's change, as one of a batch. */
export type UpdateWrite = Omit<TransitionWrite, 'comment'> & { comment: { update: StatusUpdate } };

/**
 * Many existing comments' changes (a bulk action) in ONE statement, whatever their number: the rows go in
 * as one jsonb parameter instead of one statement (and one parse and plan) per comment. Returns how many
 * were written; a comment whose status moved since it was decided on is not.
 */
export async function writeTransitions(db: DbOrTx, writes: UpdateWrite[]): Promise<number> {
  if (writes.length === 0) return 0;
  const input = writes.map((w) => ({
    id: w.comment.update.id,
    from_status: w.comment.update.from,
    to_status: w.comment.update.status,
    reasons: w.comment.update.reasons ?? null,
    published_at: w.comment.update.publishedAt?.toISOString() ?? null,
    event_count: w.events.length,
    site_id: w.log.siteId,
    actor_type: w.log.actorType,
    actor_id: w.log.actorId,
    log_reasons: w.log.reasons,
    note: w.log.note,
    article_id: w.counters.articleId,
    published_delta: w.counters.publishedDelta,
  }));
  const events = writes.flatMap((w) =>
    w.events.map((e, i) => ({
      ...e,
      siteId: w.log.siteId,
      commentId: w.comment.update.id,
      offsetFromLast: i + 1 - w.events.length,
    })),
  );
  const { rows } = await sql<{ written: number }>`
    with input as materialized (
      select * from jsonb_to_recordset(${jsonb(input)}) as i (
        id uuid, from_status text, to_status text, reasons jsonb, published_at timestamptz, event_count int,
        site_id text, actor_type text, actor_id text, log_reasons jsonb, note text, article_id int,
        published_delta int)),
    changed as (${updateStatusesFrom('input')}),
    logged as (${insertLogRowsFrom('changed', 'input')}),
    announced as (${insertManyEventsFrom('changed', events)}),
    counted as (${updateManyCountersFrom('changed', 'input')})
    select (select count(*) from changed)::int as written`.execute(db);
  return rows[0]!.written;
}
