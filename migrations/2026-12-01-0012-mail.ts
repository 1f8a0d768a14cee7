// Frozen in time: this file must never import application code.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // Mail as it was (or would have been) sent. Without SMTP (the embedded default) this is where mail
  // goes: admins read it on the dashboard's Mail page, links clickable. With SMTP a worker may use the
  // same rows as an outbox ('queued' → 'sent' | 'failed'). Rows hold addresses: moderation side only.
  await db.schema
    .createTable('mail_messages')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    // Null for service-wide mail (test mail).
    .addColumn('site_id', 'text', (c) => c.references('sites.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('to_address', 'text', (c) => c.notNull())
    .addColumn('to_name', 'text')
    // The From mailbox as the message carries it ("Example News <noreply@example.com>").
    .addColumn('from_header', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('text_body', 'text', (c) => c.notNull())
    .addColumn('html_body', 'text', (c) => c.notNull())
    // List-Unsubscribe, List-Unsubscribe-Post, Auto-Submitted…
    .addColumn('headers', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    // The sending job's identity for this mail: a retried job stores it once.
    .addColumn('dedupe_key', 'text', (c) => c.unique())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('kept', 'queued', 'sent', 'failed')`))
    .addColumn('error', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('sent_at', 'timestamptz')
    .execute();
  await sql`create index mail_messages_created_idx on mail_messages (created_at desc, id desc)`.execute(db);
  await sql`create index mail_messages_site_idx on mail_messages (site_id, created_at desc)`.execute(db);
  // Erasure and "mail to this address" look up by address, whatever its case.
  await sql`create index mail_messages_to_idx on mail_messages (lower(to_address))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('mail_messages').ifExists().execute();
}
