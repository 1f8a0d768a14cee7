// verified_authors: authors whose address was confirmed through a mailed link, per site. The only writer.
import type { ColumnType, Kysely } from 'kysely';
import type { DbOrTx } from '../db/database.ts';
import type { Database } from '../db/schema.ts';

interface VerifiedAuthorsTable {
  site_id: string;
  email_hash: string;
  verified_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

const t = (db: DbOrTx) => (db as Kysely<Database>).withTables<{ verified_authors: VerifiedAuthorsTable }>();

export async function markVerified(db: DbOrTx, siteId: string, emailHash: string, at: Date): Promise<void> {
  await t(db)
    .insertInto('verified_authors')
    .values({ site_id: siteId, email_hash: emailHash, verified_at: at })
    .onConflict((oc) => oc.columns(['site_id', 'email_hash']).doNothing())
    .execute();
}

/** Which of these hashes are verified on the site. */
export async function verifiedAmong(db: DbOrTx, siteId: string, emailHashes: string[]): Promise<Set<string>> {
  if (emailHashes.length === 0) return new Set();
  const rows = await t(db)
    .selectFrom('verified_authors')
    .select('email_hash')
    .where('site_id', '=', siteId)
    .where('email_hash', 'in', emailHashes)
    .execute();
  return new Set(rows.map((r) => r.email_hash));
}

export async function forgetVerified(db: DbOrTx, siteId: string, emailHash: string): Promise<number> {
  const r = await t(db)
    .deleteFrom('verified_authors')
    .where('site_id', '=', siteId)
    .where('email_hash', '=', emailHash)
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}
