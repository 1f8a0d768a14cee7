import { sql } from 'kysely';
import type { DbOrTx } from '../db/database.ts';
import type { JobRow } from '../db/schema.ts';

export async function insertJobs(
  db: DbOrTx,
  jobs: {
    id: string;
    queue: string;
    name: string;
    data: object;
    maxAttempts: number;
    runAt: Date;
    /** Attempts already made elsewhere (a job that failed in memory and is retried from the table). */
    attemptsMade?: number;
  }[],
): Promise<void> {
  if (jobs.length === 0) return;
  await db
    .insertInto('jobs')
    .values(
      jobs.map((j) => ({
        id: j.id,
        queue: j.queue,
        name: j.name,
        data: JSON.stringify(j.data),
        status: 'waiting' as const,
        max_attempts: j.maxAttempts,
        run_at: j.runAt,
        attempts_made: j.attemptsMade ?? 0,
      })),
    )
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

/**
 * Takes up to `limit` due jobs of a queue, marking them active under a lock that expires. One statement:
 * the subquery locks the rows it picks (skipping rows another consumer holds) and the update re-checks
 * their status, so two consumers never both take a job.
 */
export async function claimDueJobs(db: DbOrTx, queue: string, limit: number, lockMs: number): Promise<JobRow[]> {
  const now = new Date();
  return db
    .updateTable('jobs')
    .set({ status: 'active', locked_until: new Date(now.getTime() + lockMs), attempts_made: sql`attempts_made + 1` })
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('jobs')
        .select('id')
        .where('queue', '=', queue)
        .where('status', '=', 'waiting')
        .where('run_at', '<=', now)
        .orderBy('run_at')
        .limit(limit)
        .forUpdate()
        .skipLocked(),
    )
    .where('status', '=', 'waiting')
    .returningAll()
    .execute();
}

/**
 * A claim: the job and the attempt it was taken for. Every claim raises `attempts_made`, so a worker whose
 * lock expired and whose job another worker re-claimed no longer matches, and cannot settle or renew it.
 */
export interface JobClaim {
  id: string;
  attempt: number;
}

const claimed = (claims: JobClaim[]) =>
  sql<boolean>`(id, attempts_made) in (${sql.join(claims.map((c) => sql`(${c.id}, ${c.attempt}::int)`))})`;

/** Several jobs completed in one statement; returns the ids this worker still held (the others are left alone). */
export async function completeJobs(db: DbOrTx, claims: JobClaim[]): Promise<Set<string>> {
  if (claims.length === 0) return new Set();
  const rows = await db
    .updateTable('jobs')
    .set({ status: 'completed', finished_at: new Date(), locked_until: null })
    .where(claimed(claims))
    .where('status', '=', 'active')
    .returning('id')
    .execute();
  return new Set(rows.map((r) => r.id));
}

/** Returns false when the claim was lost (the job is another worker's now). */
export async function failJob(db: DbOrTx, claim: JobClaim, error: string): Promise<boolean> {
  const res = await db
    .updateTable('jobs')
    .set({ status: 'failed', finished_at: new Date(), locked_until: null, last_error: error.slice(0, 2000) })
    .where(claimed([claim]))
    .where('status', '=', 'active')
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

/** Returns false when the claim was lost (the job is another worker's now). */
export async function retryJob(db: DbOrTx, claim: JobClaim, runAt: Date, error: string): Promise<boolean> {
  const res = await db
    .updateTable('jobs')
    .set({ status: 'waiting', run_at: runAt, locked_until: null, last_error: error.slice(0, 2000) })
    .where(claimed([claim]))
    .where('status', '=', 'active')
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

/** A running job's lock, moved on while its handler still works (a long import). */
export async function extendJobLock(db: DbOrTx, claim: JobClaim, lockMs: number): Promise<void> {
  await db
    .updateTable('jobs')
    .set({ locked_until: new Date(Date.now() + lockMs) })
    .where(claimed([claim]))
    .where('status', '=', 'active')
    .execute();
}

/** Jobs whose worker died mid-run go back to waiting (their attempt counts as made). `all`: whatever their lock says. */
export async function releaseStalledJobs(db: DbOrTx, all = false): Promise<number> {
  let q = db.updateTable('jobs').set({ status: 'waiting', locked_until: null }).where('status', '=', 'active');
  if (!all) q = q.where('locked_until', '<', new Date());
  const res = await q.executeTakeFirst();
  return Number(res.numUpdatedRows);
}

export async function countJobs(db: DbOrTx): Promise<{ queue: string; status: string; n: number }[]> {
  return db
    .selectFrom('jobs')
    .select(['queue', 'status', sql<number>`count(*)::int`.as('n')])
    .where('status', 'in', ['waiting', 'active', 'failed'])
    .groupBy(['queue', 'status'])
    .execute();
}

export async function purgeFinishedJobs(db: DbOrTx, olderThan: Date): Promise<number> {
  const res = await db
    .deleteFrom('jobs')
    .where('status', 'in', ['completed', 'failed'])
    .where('finished_at', '<', olderThan)
    .executeTakeFirst();
  return Number(res.numDeletedRows);
}
