// mail_messages: kept mail (the embedded default) and, with SMTP, an optional outbox. The only writer
// of the table.
import type { ColumnType, Kysely, Selectable } from 'kysely';
import type { DbOrTx } from '../db/database.ts';
import type { Database } from '../db/schema.ts';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
export type MailStatus = 'kept' | 'queued' | 'sent' | 'failed';

// The row type lives here rather than in db/schema.ts while src/ is being restructured; it moves
// there when the mail feature is wired in.
export interface MailMessagesTable {
  id: string;
  site_id: string | null;
  kind: string;
  to_address: string;
  to_name: string | null;
  from_header: string;
  subject: string;
  text_body: string;
  html_body: string;
  headers: ColumnType<Record<string, string>, string, string>;
  dedupe_key: string | null;
  status: MailStatus;
  error: string | null;
  created_at: Timestamp;
  sent_at: Date | null;
}
export type MailMessageRow = Selectable<MailMessagesTable>;

const withMail = (db: DbOrTx) => (db as Kysely<Database>).withTables<{ mail_messages: MailMessagesTable }>();

export interface NewMailRow {
  id: string;
  siteId: string | null;
  kind: string;
  toAddress: string;
  toName: string | null;
  fromHeader: string;
  subject: string;
  textBody: string;
  htmlBody: string;
  headers: Record<string, string>;
  dedupeKey: string | null;
  status: MailStatus;
  sentAt: Date | null;
}

/** Inserts once per dedupe key: a retried job gets the id of the row its first attempt stored. */
export async function insertMailMessage(db: DbOrTx, m: NewMailRow): Promise<{ id: string; inserted: boolean }> {
  const inserted = await withMail(db)
    .insertInto('mail_messages')
    .values({
      id: m.id,
      site_id: m.siteId,
      kind: m.kind,
      to_address: m.toAddress,
      to_name: m.toName,
      from_header: m.fromHeader,
      subject: m.subject,
      text_body: m.textBody,
      html_body: m.htmlBody,
      headers: JSON.stringify(m.headers),
      dedupe_key: m.dedupeKey,
      status: m.status,
      sent_at: m.sentAt,
    })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted) return { id: inserted.id, inserted: true };
  const existing = await withMail(db)
    .selectFrom('mail_messages')
    .select('id')
    .where('dedupe_key', '=', m.dedupeKey)
    .executeTakeFirstOrThrow();
  return { id: existing.id, inserted: false };
}

export async function getMailMessage(db: DbOrTx, id: string): Promise<MailMessageRow | undefined> {
  return withMail(db).selectFrom('mail_messages').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Newest first; ids are UUIDv7, so `beforeId` pages in creation order. `siteIds` null: every site. */
export async function listMailMessages(
  db: DbOrTx,
  q: { siteIds: string[] | null; kind?: string; beforeId?: string; limit: number },
): Promise<MailMessageRow[]> {
  let query = withMail(db).selectFrom('mail_messages').selectAll();
  if (q.siteIds) query = query.where('site_id', 'in', q.siteIds.length ? q.siteIds : ['']);
  if (q.kind) query = query.where('kind', '=', q.kind);
  if (q.beforeId) query = query.where('id', '<', q.beforeId);
  return query.orderBy('id', 'desc').limit(q.limit).execute();
}

export async function markMailSent(db: DbOrTx, id: string, at: Date): Promise<void> {
  await withMail(db)
    .updateTable('mail_messages')
    .set({ status: 'sent', sent_at: at, error: null })
    .where('id', '=', id)
    .execute();
}

export async function markMailFailed(db: DbOrTx, id: string, error: string): Promise<void> {
  await withMail(db)
    .updateTable('mail_messages')
    .set({ status: 'failed', error: error.slice(0, 1000) })
    .where('id', '=', id)
    .execute();
}

/** Erasure: every kept mail to an address goes (addresses compare case-insensitively), or only one site's. */
export async function deleteMailToAddress(db: DbOrTx, address: string, siteId?: string): Promise<number> {
  let query = withMail(db)
    .deleteFrom('mail_messages')
    .where((eb) => eb(eb.fn('lower', ['to_address']), '=', address.toLowerCase()));
  if (siteId !== undefined) query = query.where('site_id', '=', siteId);
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function findMailByDedupeKey(db: DbOrTx, dedupeKey: string): Promise<MailMessageRow | undefined> {
  return withMail(db).selectFrom('mail_messages').selectAll().where('dedupe_key', '=', dedupeKey).executeTakeFirst();
}

/**
 * Erasure: the site's kept mail to others that mentions the erased author (a moderator alert or a
 * reply mail quoting their comment, a digest naming them), found by any of the needles (the erased
 * comments' ids, the author's addresses and names) in the subject, bodies or dedupe key, any letter case.
 */
export async function deleteMailMentioning(db: DbOrTx, siteId: string, needles: string[]): Promise<number> {
  const wanted = [...new Set(needles.map((n) => n.trim().toLowerCase()).filter((n) => n.length > 0))];
  if (wanted.length === 0) return 0;
  const result = await withMail(db)
    .deleteFrom('mail_messages')
    .where('site_id', '=', siteId)
    .where((eb) =>
      eb.or(
        wanted.flatMap((n) =>
          (['subject', 'text_body', 'html_body', 'dedupe_key'] as const).map((col) =>
            eb(eb.fn('strpos', [eb.fn('lower', [eb.fn.coalesce(col, eb.val(''))]), eb.val(n)]), '>', 0),
          ),
        ),
      ),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
