import { sql } from 'kysely';
import type { DbOrTx } from '../db/database.ts';
import type { AuditLogRow } from '../db/schema.ts';

export interface AuditInput {
  actorType: string;
  actorId: string;
  /** "ban.create", "site.update", "user.disable", "token.create", "webhook.rotate-secret", … */
  action: string;
  siteId: string | null;
  targetType: string;
  targetId: string;
  details?: Record<string, unknown>;
}

export async function insertAudit(db: DbOrTx, e: AuditInput): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      actor_type: e.actorType,
      actor_id: e.actorId,
      action: e.action,
      site_id: e.siteId,
      target_type: e.targetType,
      target_id: e.targetId,
      details: JSON.stringify(e.details ?? {}),
    })
    .execute();
}

export async function listAudit(
  db: DbOrTx,
  q: { siteIds: string[] | null; actorId?: string; action?: string; beforeId?: number; limit: number },
): Promise<(AuditLogRow & { actor_email: string | null })[]> {
  let query = db
    .selectFrom('audit_log')
    .leftJoin('users', (j) => j.on(sql`users.id::text`, '=', sql.ref('audit_log.actor_id')))
    .selectAll('audit_log')
    .select('users.email as actor_email');
  if (q.siteIds) query = query.where('audit_log.site_id', 'in', q.siteIds.length ? q.siteIds : ['']);
  if (q.actorId) query = query.where('audit_log.actor_id', '=', q.actorId);
  if (q.action) query = query.where('audit_log.action', '=', q.action);
  if (q.beforeId !== undefined) query = query.where('audit_log.id', '<', String(q.beforeId));
  return query.orderBy('audit_log.id', 'desc').limit(q.limit).execute();
}
