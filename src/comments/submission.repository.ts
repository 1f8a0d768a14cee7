// Stores a new comment with everything that goes with it (moderation-log row, outbox events, the
// article's counters, the Idempotency-Key's answer) in ONE statement of data-modifying CTEs: atomic
// without an explicit transaction, and one round trip on the hottest write path.
import { type RawBuilder, sql } from 'kysely';
import type { DbOrTx } from '../db/database.ts';
import type { CommentStatus } from '../domain/comment-status.ts';

export interface NewSubmission {
  comment: {
    id: string;
    siteId: string;
    articleId: number;
    parentId: string | null;
    rootId: string;
    depth: number;
    name: string;
    email: string;
    emailHash: string;
    ip: string | null;
    userAgent: string | null;
    body: string;
    status: CommentStatus;
    reasons: unknown[];
    createdAt: Date;
  };
  events: { id: string; type: string; payload: object }[];
  /** Stored with the comment; when the key is already taken, nothing at all is stored. */
  idempotency: { key: string; fingerprint: string; statusCode: number; response: unknown } | null;
}

export type SubmissionWrite = 'stored' | 'duplicate' | 'key_taken';

const NO_PARENT = sql`'00000000-0000-0000-0000-000000000000'::uuid`;

export async function insertSubmission(db: DbOrTx, s: NewSubmission): Promise<SubmissionWrite> {
  const c = s.comment;
  const approved = c.status === 'approved';
  const json = (v: unknown) => sql`${JSON.stringify(v)}::jsonb`;
  const ctes: RawBuilder<unknown>[] = [];
  if (s.idempotency) {
    const k = s.idempotency;
    // An expired key (over a day old) may be reused; a live one is taken.
    ctes.push(sql`claimed as (
      insert into idempotency_keys (site_id, key, fingerprint, status_code, response)
      values (${c.siteId}, ${k.key}, ${k.fingerprint}, ${k.statusCode}, ${json(k.response)})
      on conflict (site_id, key) do update set fingerprint = excluded.fingerprint, status_code = excluded.status_code,
        response = excluded.response, created_at = now()
      where idempotency_keys.created_at <= now() - interval '24 hours'
      returning key)`);
  }
  ctes.push(sql`inserted as (
    insert into comments (id, site_id, article_id, parent_id, root_id, depth, name, email, email_hash, ip, user_agent,
                          body, status, reasons, created_at, updated_at, published_at)
    select ${c.id}::uuid, ${c.siteId}, ${c.articleId}, ${c.parentId}::uuid, ${c.rootId}::uuid, ${c.depth}, ${c.name}, ${c.email},
           ${c.emailHash}, ${c.ip}, ${c.userAgent}, ${c.body}, ${c.status}, ${json(c.reasons)}, ${c.createdAt}, ${c.createdAt},
           ${approved ? c.createdAt : null}::timestamptz
    ${s.idempotency ? sql`where exists (select 1 from claimed)` : sql``}
    on conflict (article_id, email_hash, (coalesce(parent_id, ${NO_PARENT})), (md5(body))) where status <> 'deleted' do nothing
    returning id)`);
  ctes.push(sql`logged as (
    insert into moderation_log (comment_id, site_id, actor_type, actor_id, from_status, to_status, reasons)
    select id, ${c.siteId}, 'filter', 'submission', null, ${c.status}, ${json(c.reasons)} from inserted)`);
  ctes.push(sql`announced as (
    insert into events (id, site_id, type, comment_id, payload)
    select e.id, ${c.siteId}, e.type, inserted.id, e.payload
    from inserted, (values ${sql.join(s.events.map((e) => sql`(${e.id}::uuid, ${e.type}, ${json(e.payload)})`))}) as e (id, type, payload))`);
  // First comment time always; the published count and thread version (the ETag) when it is published.
  ctes.push(sql`counted as (
    update articles set first_comment_at = coalesce(first_comment_at, ${c.createdAt}),
      published_count = published_count + ${approved ? 1 : 0}, thread_version = thread_version + ${approved ? 1 : 0}
    where id = ${c.articleId} and exists (select 1 from inserted) and (first_comment_at is null or ${approved}))`);
  const { rows } = await sql<{ claimed: number; stored: number }>`
    with ${sql.join(ctes)}
    select ${s.idempotency ? sql`(select count(*) from claimed)::int` : sql`1`} as claimed, (select count(*) from inserted)::int as stored`.execute(
    db,
  );
  const r = rows[0]!;
  if (r.claimed === 0) return 'key_taken';
  return r.stored === 1 ? 'stored' : 'duplicate';
}
