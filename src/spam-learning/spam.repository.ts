// The learned spam model's tables: spam_models (decisions and version per site), spam_tokens (counts
// per site and token) and spam_lessons (what each decided comment taught). The only module that
// writes them. Counts change by signed deltas (`count = count + delta`), never below zero.
import { sql } from 'kysely';
import type { DbOrTx } from '../db/database.ts';
import type { SpamLessonRow } from '../db/schema.ts';
import type { SpamLabel, SpamSnapshot, TokenRow } from '../spam/spam-counts.ts';

/** Rows per insert statement: well under PostgreSQL's 65,535 parameters. */
const CHUNK = 2_000;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

/**
 * Adds a training delta to a site's model and bumps its version. The site's model row is written
 * first, so concurrent trainers of one site queue on it and never deadlock over token rows.
 */
export async function applyDelta(db: DbOrTx, siteId: string, delta: SpamSnapshot, decisions: number): Promise<number> {
  const head = await sql<{
    since_prune: number;
  }>`insert into spam_models (site_id, spam_decisions, ham_decisions, version, since_prune, updated_at)
    values (${siteId}, ${Math.max(0, delta.spamDecisions)}, ${Math.max(0, delta.hamDecisions)}, 1, ${decisions}, now())
    on conflict (site_id) do update set
      spam_decisions = greatest(0, spam_models.spam_decisions + ${delta.spamDecisions}),
      ham_decisions = greatest(0, spam_models.ham_decisions + ${delta.hamDecisions}),
      version = spam_models.version + 1,
      since_prune = spam_models.since_prune + ${decisions},
      updated_at = now()
    returning since_prune`.execute(db);
  // Trainers of one site wait for each other on the model row above, so no other transaction can
  // insert the same new token between the update and the insert here.
  for (const part of chunks(delta.tokens)) {
    const values = part.map((t) => sql`(${t.token}::text, ${t.spam}::int, ${t.ham}::int)`);
    await sql`with v (token, spam, ham) as (values ${sql.join(values)}),
      updated as (
        update spam_tokens t set spam = greatest(0, t.spam + v.spam), ham = greatest(0, t.ham + v.ham)
        from v where t.site_id = ${siteId} and t.token = v.token
        returning t.token)
      insert into spam_tokens (site_id, token, spam, ham)
      select ${siteId}, v.token, greatest(0, v.spam), greatest(0, v.ham) from v
      where (v.spam > 0 or v.ham > 0) and not exists (select 1 from updated u where u.token = v.token)`.execute(db);
  }
  await db.deleteFrom('spam_tokens').where('site_id', '=', siteId).where('spam', '=', 0).where('ham', '=', 0).execute();
  return head.rows[0]!.since_prune;
}

export async function findLesson(db: DbOrTx, commentId: string): Promise<SpamLessonRow | undefined> {
  return db.selectFrom('spam_lessons').selectAll().where('comment_id', '=', commentId).executeTakeFirst();
}

export async function saveLesson(
  db: DbOrTx,
  lesson: { commentId: string; siteId: string; label: SpamLabel; tokens: string[] },
): Promise<void> {
  await db
    .insertInto('spam_lessons')
    .values({
      comment_id: lesson.commentId,
      site_id: lesson.siteId,
      label: lesson.label,
      tokens: JSON.stringify(lesson.tokens),
    })
    .onConflict((oc) =>
      oc.column('comment_id').doUpdateSet({
        label: lesson.label,
        tokens: JSON.stringify(lesson.tokens),
        created_at: new Date(),
      }),
    )
    .execute();
}

export async function deleteLesson(db: DbOrTx, commentId: string): Promise<void> {
  await db.deleteFrom('spam_lessons').where('comment_id', '=', commentId).execute();
}

export async function listLessonsOfComments(db: DbOrTx, commentIds: string[]): Promise<SpamLessonRow[]> {
  if (commentIds.length === 0) return [];
  return db.selectFrom('spam_lessons').selectAll().where('comment_id', 'in', commentIds).execute();
}

export interface StoredModel extends SpamSnapshot {
  version: string;
  sinceLastPrune: number;
}

/** A site's model: its decisions, version and every token row. */
export async function loadModel(db: DbOrTx, siteId: string): Promise<StoredModel> {
  const head = await db.selectFrom('spam_models').selectAll().where('site_id', '=', siteId).executeTakeFirst();
  const tokens: TokenRow[] = await db
    .selectFrom('spam_tokens')
    .select(['token', 'spam', 'ham'])
    .where('site_id', '=', siteId)
    .orderBy('token')
    .execute();
  return {
    spamDecisions: head?.spam_decisions ?? 0,
    hamDecisions: head?.ham_decisions ?? 0,
    version: String(head?.version ?? 0),
    sinceLastPrune: head?.since_prune ?? 0,
    tokens,
  };
}

/** The version of every site's model: what a process compares to know which to reload. */
export async function listModelVersions(db: DbOrTx): Promise<Map<string, string>> {
  const rows = await db.selectFrom('spam_models').select(['site_id', 'version']).execute();
  return new Map(rows.map((r) => [r.site_id, String(r.version)]));
}

/**
 * Every site's counts added up: the shared base model. The `limit` most frequent tokens only, so
 * many sites cannot make it unbounded.
 */
export async function loadPooledModel(
  db: DbOrTx,
  limit: number,
): Promise<SpamSnapshot & { bySite: Map<string, [number, number]> }> {
  const heads = await db.selectFrom('spam_models').select(['site_id', 'spam_decisions', 'ham_decisions']).execute();
  const rows = await db
    .selectFrom('spam_tokens')
    .select(['token', sql<number>`sum(spam)::int`.as('spam'), sql<number>`sum(ham)::int`.as('ham')])
    .groupBy('token')
    .orderBy(sql`sum(spam + ham)`, 'desc')
    .orderBy('token')
    .limit(limit)
    .execute();
  return {
    spamDecisions: heads.reduce((n, h) => n + h.spam_decisions, 0),
    hamDecisions: heads.reduce((n, h) => n + h.ham_decisions, 0),
    tokens: rows,
    bySite: new Map(heads.map((h) => [h.site_id, [h.spam_decisions, h.ham_decisions]])),
  };
}

export async function deleteTokens(db: DbOrTx, siteId: string, tokens: string[]): Promise<void> {
  for (const part of chunks(tokens))
    await db.deleteFrom('spam_tokens').where('site_id', '=', siteId).where('token', 'in', part).execute();
}

export async function markPruned(db: DbOrTx, siteId: string): Promise<void> {
  await db.updateTable('spam_models').set({ since_prune: 0 }).where('site_id', '=', siteId).execute();
}

/** Forgets a site's model: counts, lessons and decisions (spam:reset, and before a rebuild). */
export async function deleteModel(db: DbOrTx, siteId: string): Promise<void> {
  await db.deleteFrom('spam_lessons').where('site_id', '=', siteId).execute();
  await db.deleteFrom('spam_tokens').where('site_id', '=', siteId).execute();
  await db.deleteFrom('spam_models').where('site_id', '=', siteId).execute();
}

/** A rebuilt model written whole (after deleteModel, in the same transaction). */
export async function insertModel(
  db: DbOrTx,
  siteId: string,
  model: SpamSnapshot,
  lessons: { commentId: string; label: SpamLabel; tokens: string[] }[],
): Promise<void> {
  await db
    .insertInto('spam_models')
    .values({
      site_id: siteId,
      spam_decisions: model.spamDecisions,
      ham_decisions: model.hamDecisions,
      // A new version number, so every process reloads the rebuilt model.
      version: sql<string>`(extract(epoch from now()) * 1000)::bigint`,
      since_prune: 0,
    })
    .execute();
  for (const part of chunks(model.tokens))
    await db
      .insertInto('spam_tokens')
      .values(part.map((t) => ({ site_id: siteId, token: t.token, spam: t.spam, ham: t.ham })))
      .execute();
  for (const part of chunks(lessons))
    await db
      .insertInto('spam_lessons')
      .values(
        part.map((l) => ({
          comment_id: l.commentId,
          site_id: siteId,
          label: l.label,
          tokens: JSON.stringify(l.tokens),
        })),
      )
      .execute();
}

/** The comments of a site a person has ever moved (moderators' and operators' log rows): what a rebuild reads. */
export async function listModeratedCommentIds(db: DbOrTx, siteId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('moderation_log')
    .select('comment_id')
    .distinct()
    .where('site_id', '=', siteId)
    .where('actor_type', 'in', ['user', 'cli'])
    .orderBy('comment_id')
    .execute();
  return rows.map((r) => r.comment_id);
}

export interface RecentLesson {
  label: SpamLabel;
  /** The learned score the comment had when it was posted (its learned_spam reason), if it was scored. */
  score: number | null;
}

/** The most recent lessons of a site with the score their comment was given before it was learned. */
export async function listRecentLessons(db: DbOrTx, siteId: string, limit: number): Promise<RecentLesson[]> {
  const rows = await db
    .selectFrom('spam_lessons as l')
    .innerJoin('comments as c', 'c.id', 'l.comment_id')
    .select([
      'l.label',
      sql<string | null>`(select r->'data'->>'score' from jsonb_array_elements(c.reasons) r
        where r->>'code' = 'learned_spam' limit 1)`.as('score'),
    ])
    .where('l.site_id', '=', siteId)
    .orderBy('l.created_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ label: r.label, score: r.score === null ? null : Number(r.score) }));
}
