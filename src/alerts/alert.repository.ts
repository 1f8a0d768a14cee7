// moderator_alerts: how often each moderator wants mail about newly held comments of a site. The only writer.
import type { Kysely } from 'kysely';
import type { DbOrTx } from '../db/database.ts';
import type { Database } from '../db/schema.ts';

export const ALERT_FREQUENCIES = ['immediate', 'hourly', 'daily', 'off'] as const;
export type AlertFrequency = (typeof ALERT_FREQUENCIES)[number];

interface ModeratorAlertsTable {
  user_id: string;
  site_id: string;
  frequency: AlertFrequency;
  last_sent_at: Date | null;
}
export interface AlertRow {
  user_id: string;
  site_id: string;
  frequency: AlertFrequency;
  last_sent_at: Date | null;
}

const t = (db: DbOrTx) => (db as Kysely<Database>).withTables<{ moderator_alerts: ModeratorAlertsTable }>();

export async function upsertAlert(
  db: DbOrTx,
  userId: string,
  siteId: string,
  frequency: AlertFrequency,
): Promise<void> {
  await t(db)
    .insertInto('moderator_alerts')
    .values({ user_id: userId, site_id: siteId, frequency, last_sent_at: null })
    .onConflict((oc) => oc.columns(['user_id', 'site_id']).doUpdateSet({ frequency }))
    .execute();
}

export async function listAlertsOfSite(db: DbOrTx, siteId: string, frequency: AlertFrequency): Promise<AlertRow[]> {
  return t(db)
    .selectFrom('moderator_alerts')
    .selectAll()
    .where('site_id', '=', siteId)
    .where('frequency', '=', frequency)
    .execute();
}

export async function listDigestAlerts(db: DbOrTx): Promise<AlertRow[]> {
  return t(db).selectFrom('moderator_alerts').selectAll().where('frequency', 'in', ['hourly', 'daily']).execute();
}

export async function listAlertsOfUser(db: DbOrTx, userId: string): Promise<AlertRow[]> {
  return t(db).selectFrom('moderator_alerts').selectAll().where('user_id', '=', userId).orderBy('site_id').execute();
}

export async function markDigestSent(db: DbOrTx, userId: string, siteId: string, at: Date): Promise<void> {
  await t(db)
    .updateTable('moderator_alerts')
    .set({ last_sent_at: at })
    .where('user_id', '=', userId)
    .where('site_id', '=', siteId)
    .execute();
}
