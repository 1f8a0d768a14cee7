// SQL of reader reports and reporters' decision counts: the only module that writes `reports` and `reporters`.
import { sql } from 'kysely';
import type { DbOrTx } from '../db/database.ts';
import type { ReportNotice, ReportRow } from '../db/schema.ts';
import type { Scrubber } from '../shared/scrub.ts';

export interface NewReport {
  id: string;
  siteId: string;
  commentId: string;
  reporterKey: string;
  ipKey: string | null;
  reason: ReportRow['reason'];
  detail: string | null;
  notice: ReportNotice | null;
  weight: number;
  fresh: boolean;
}

export async function findDecisions(
  db: DbOrTx,
  siteId: string,
  reporterKey: string,
): Promise<{ upheld: number; dismissed: number } | undefined> {
  return db
    .selectFrom('reporters')
    .select(['upheld', 'dismissed'])
    .where('site_id', '=', siteId)
    .where('reporter_key', '=', reporterKey)
    .executeTakeFirst();
}

/** A report by this reporter on the comment, or (for a reporter without a token) by this address. */
export async function hasReported(
  db: DbOrTx,
  commentId: string,
  reporterKey: string,
  sameAddress: string | null,
): Promise<boolean> {
  const row = await db
    .selectFrom('reports')
    .select('id')
    .where('comment_id', '=', commentId)
    .where((eb) =>
      sameAddress === null
        ? eb('reporter_key', '=', reporterKey)
        : eb.or([eb('reporter_key', '=', reporterKey), eb('ip_key', '=', sameAddress)]),
    )
    .executeTakeFirst();
  return row !== undefined;
}

/** Inserts the report unless the reporter already reported the comment; true when stored. */
export async function insertReport(db: DbOrTx, r: NewReport): Promise<boolean> {
  const rows = await db
    .insertInto('reports')
    .values({
      id: r.id,
      site_id: r.siteId,
      comment_id: r.commentId,
      reporter_key: r.reporterKey,
      ip_key: r.ipKey,
      reason: r.reason,
      detail: r.detail,
      notice: r.notice ? JSON.stringify(r.notice) : null,
      weight: r.weight,
      fresh: r.fresh,
    })
    .onConflict((oc) => oc.columns(['comment_id', 'reporter_key']).doNothing())
    .returning('id')
    .execute();
  return rows.length === 1;
}

export async function listOpenReportsOfComment(db: DbOrTx, commentId: string): Promise<ReportRow[]> {
  return db
    .selectFrom('reports')
    .selectAll()
    .where('comment_id', '=', commentId)
    .where('outcome', '=', 'open')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function listReportsOfComment(db: DbOrTx, commentId: string): Promise<ReportRow[]> {
  return db.selectFrom('reports').selectAll().where('comment_id', '=', commentId).orderBy('created_at').execute();
}

/** Every open report of the site's comments (the Reported queue is made of them). */
export async function listOpenReportsOfSite(db: DbOrTx, siteId: string): Promise<ReportRow[]> {
  return db
    .selectFrom('reports')
    .selectAll()
    .where('site_id', '=', siteId)
    .where('outcome', '=', 'open')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** Closes the comment's open reports with a decision; returns the reporters whose reports were closed. */
export async function resolveOpenReports(
  db: DbOrTx,
  commentId: string,
  outcome: 'upheld' | 'dismissed',
  by: string,
): Promise<{ site_id: string; reporter_key: string }[]> {
  return db
    .updateTable('reports')
    .set({ outcome, resolved_at: new Date(), resolved_by: by })
    .where('comment_id', '=', commentId)
    .where('outcome', '=', 'open')
    .returning(['site_id', 'reporter_key'])
    .execute();
}

/** Counts one decision for each reporter (their reliability follows from these counts). */
export async function countDecisions(
  db: DbOrTx,
  siteId: string,
  reporterKeys: string[],
  outcome: 'upheld' | 'dismissed',
): Promise<void> {
  if (reporterKeys.length === 0) return;
  const column = outcome === 'upheld' ? 'upheld' : 'dismissed';
  await db
    .insertInto('reporters')
    .values(reporterKeys.map((key) => ({ site_id: siteId, reporter_key: key, [column]: 1 })))
    .onConflict((oc) =>
      oc.columns(['site_id', 'reporter_key']).doUpdateSet({ [column]: sql`reporters.${sql.ref(column)} + 1` }),
    )
    .execute();
}

/** Erasure: reports about the erased comments (their detail may quote them). */
export async function deleteReportsOfComments(db: DbOrTx, commentIds: string[]): Promise<number> {
  if (commentIds.length === 0) return 0;
  const r = await db.deleteFrom('reports').where('comment_id', 'in', commentIds).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Erasure: the person's name and address in the illegal-content notices they filed on the site. */
export async function forgetNoticesBy(db: DbOrTx, siteId: string, email: string): Promise<number> {
  const r = await db
    .updateTable('reports')
    .set({ notice: null, detail: null })
    .where('site_id', '=', siteId)
    .where(sql<boolean>`lower(notice->>'reporterEmail') = ${email.trim().toLowerCase()}`)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/**
 * A report's free text that names an erased author (a reader's own report on someone else's comment, "I
 * am <name>, <email>", or one about them): every value replaced, the text otherwise kept for the record.
 */
export async function scrubReportDetails(
  db: DbOrTx,
  siteId: string,
  needles: string[],
  scrub: Scrubber,
): Promise<number> {
  const found = needles.filter((n) => n.trim() !== '');
  if (found.length === 0) return 0;
  const rows = await db
    .selectFrom('reports')
    .select(['id', 'detail'])
    .where('site_id', '=', siteId)
    .where('detail', 'is not', null)
    .where((eb) => eb.or(found.map((n) => sql<boolean>`strpos(lower(detail), lower(${n})) > 0`)))
    .execute();
  let changed = 0;
  for (const r of rows) {
    const detail = scrub.text(r.detail ?? '');
    if (detail === r.detail) continue;
    await db.updateTable('reports').set({ detail }).where('id', '=', r.id).execute();
    changed++;
  }
  return changed;
}

/** Transparency: reports per site, reason and outcome (every site when siteId is null). */
export async function countReportsByReasonAndOutcome(
  db: DbOrTx,
  siteId: string | null,
): Promise<{ site_id: string; reason: ReportRow['reason']; outcome: ReportRow['outcome']; count: number }[]> {
  let q = db
    .selectFrom('reports')
    .select(['site_id', 'reason', 'outcome', sql<number>`count(*)::int`.as('count')])
    .groupBy(['site_id', 'reason', 'outcome']);
  if (siteId !== null) q = q.where('site_id', '=', siteId);
  return q.execute();
}

/**
 * Transparency: per site, the number of decisions and the median time from a comment's first report to
 * the decision on it. One decision closes a comment's open reports at one moment (resolveOpenReports),
 * so a decision is a (comment, resolved_at) group.
 */
export async function decisionTimes(
  db: DbOrTx,
  siteId: string | null,
): Promise<{ site_id: string; decisions: number; median_seconds: number | null }[]> {
  const { rows } = await sql<{ site_id: string; decisions: number; median_seconds: number | null }>`
    with decided as (
      select site_id, comment_id, resolved_at, min(created_at) as first_at
      from reports
      where outcome <> 'open' and resolved_at is not null ${siteId === null ? sql`` : sql`and site_id = ${siteId}`}
      group by site_id, comment_id, resolved_at
    )
    select site_id, count(*)::int as decisions,
      (percentile_cont(0.5) within group (order by extract(epoch from resolved_at - first_at)))::float8 as median_seconds
    from decided group by site_id`.execute(db);
  return rows;
}
