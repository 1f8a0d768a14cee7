import { sql } from 'kysely';
import type { DbOrTx } from '../db/database.ts';
import type { AuditLogRow } from '../db/schema.ts';
import type { Scrubber } from '../shared/scrub.ts';

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

/**
 * Erasure: the site's audit rows whose details mention any of `needles` (an erased author's email,
 * name, addresses: a ban's value, a block list in a settings change) get those values replaced. The
 * rows themselves stay: who changed what, and when, outlives the author's data.
 */
export async function scrubAuditOfSite(
  db: DbOrTx,
  siteId: string,
  needles: string[],
  scrub: Scrubber,
): Promise<number> {
  const found = needles.filter((n) => n.trim() !== '');
  if (found.length === 0) return 0;
  const rows = await db
    .selectFrom('audit_log')
    .select(['id', 'details'])
    .where('site_id', '=', siteId)
    .where((eb) => eb.or(found.map((n) => sql<boolean>`strpos(lower(details::text), lower(${n})) > 0`)))
    .execute();
  let changed = 0;
  for (const r of rows) {
    const details = scrub.json(r.details);
    if (details === r.details) continue;
    await db
      .updateTable('audit_log')
      .set({ details: JSON.stringify(details) })
      .where('id', '=', r.id)
      .execute();
    changed++;
  }
  return changed;
}
