// The deployment's queue backend as recorded in the database (table deployment_settings, key 'queue').
// The only module that writes the table.
import type { DbOrTx } from '../db/database.ts';

const KEY = 'queue';

/** Records `value` unless a value is recorded already; returns what is recorded, and since when. */
export async function recordQueueOnce(
  db: DbOrTx,
  value: Record<string, unknown>,
): Promise<{ value: Record<string, unknown>; recordedAt: Date }> {
  await db
    .insertInto('deployment_settings')
    .values({ key: KEY, value: JSON.stringify(value) })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const row = await db
    .selectFrom('deployment_settings')
    .select(['value', 'recorded_at'])
    .where('key', '=', KEY)
    .executeTakeFirstOrThrow();
  return { value: row.value, recordedAt: row.recorded_at };
}

/** Replaces the record: the operator moved the deployment to another backend. */
export async function replaceQueueRecord(db: DbOrTx, value: Record<string, unknown>): Promise<void> {
  await db
    .insertInto('deployment_settings')
    .values({ key: KEY, value: JSON.stringify(value) })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(value), recorded_at: new Date() }))
    .execute();
}
