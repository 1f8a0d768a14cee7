// What the dashboard's Mail page reads: every mail kept (the embedded default) or sent through SMTP,
// newest first. Admins only (the route checks): mail holds readers' addresses and signed links.
import type { Db } from '../db/database.ts';
import { NotFoundError } from '../shared/errors.ts';
import { uuidPattern } from '../shared/ids.ts';
import { getMailMessage, listMailMessages, type MailMessageRow, type MailStatus } from './mail.repository.ts';
import type { MailTransport } from './mail-transport.ts';

export interface MailSummary {
  id: string;
  siteId: string | null;
  kind: string;
  to: { address: string; name: string | null };
  subject: string;
  status: MailStatus;
  error: string | null;
  createdAt: Date;
}

export interface MailView extends MailSummary {
  from: string;
  text: string;
  html: string;
  headers: Record<string, string>;
  sentAt: Date | null;
}

export interface MailLog {
  /** 'kept': mail stays here (no SMTP); 'smtp': these rows are the log of what went out. */
  readonly mode: MailTransport['kind'];
  list(q: { cursor?: string; limit: number }): Promise<{ messages: MailSummary[]; nextCursor: string | null }>;
  /** Throws NotFoundError for an unknown (or malformed) id. */
  get(id: string): Promise<MailView>;
}

function summary(r: MailMessageRow): MailSummary {
  return {
    id: r.id,
    siteId: r.site_id,
    kind: r.kind,
    to: { address: r.to_address, name: r.to_name },
    subject: r.subject,
    status: r.status,
    error: r.error,
    createdAt: new Date(r.created_at),
  };
}

export function createMailLog(deps: { db: Db; mode: MailTransport['kind'] }): MailLog {
  const { db } = deps;
  return {
    mode: deps.mode,
    async list(q) {
      // A cursor is the last id shown; anything else starts from the newest.
      const beforeId = q.cursor && uuidPattern.test(q.cursor) ? q.cursor : undefined;
      const rows = await listMailMessages(db, { siteIds: null, beforeId, limit: q.limit + 1 });
      const messages = rows.slice(0, q.limit).map(summary);
      return { messages, nextCursor: rows.length > q.limit ? messages.at(-1)!.id : null };
    },
    async get(id) {
      const row = uuidPattern.test(id) ? await getMailMessage(db, id) : undefined;
      if (!row) throw new NotFoundError('No such mail.', { code: 'mail_not_found' });
      const headers = typeof row.headers === 'string' ? JSON.parse(row.headers) : row.headers;
      return {
        ...summary(row),
        from: row.from_header,
        text: row.text_body,
        html: row.html_body,
        headers,
        sentAt: row.sent_at ? new Date(row.sent_at) : null,
      };
    },
  };
}
