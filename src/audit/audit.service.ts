// The audit log of admin actions (sites, webhooks, accounts, tokens, bans): written by the verb that
// makes the change, inside that change's transaction (`audit.withTx(tx).record(…)`), so a change and
// its audit row commit or roll back together, whichever surface (API, dashboard, CLI) asked for it.
import { bindable, type Db, type DbOrTx } from '../db/database.ts';
import type { Actor } from '../domain/actor.ts';
import { fieldError } from '../shared/errors.ts';
import { insertAudit, listAudit } from './audit.repository.ts';

interface AuditRecord {
  /** "ban.create", "site.update", "user.disable", "token.create", "webhook.rotate-secret", … */
  action: string;
  siteId: string | null;
  target: { type: string; id: string };
  details?: Record<string, unknown>;
}

export interface AuditEntry {
  id: string;
  actorType: string;
  actorId: string;
  actorEmail: string | null;
  action: string;
  siteId: string | null;
  targetType: string;
  targetId: string;
  details: Record<string, unknown>;
  createdAt: Date;
}

export interface AuditQuery {
  siteId?: string | undefined;
  actor?: string | undefined;
  action?: string | undefined;
  cursor?: string | undefined;
  limit: number;
}

function auditVerbs(db: DbOrTx) {
  return {
    async record(actor: Actor, r: AuditRecord): Promise<void> {
      await insertAudit(db, {
        actorType: actor.type,
        actorId: actor.id,
        action: r.action,
        siteId: r.siteId,
        targetType: r.target.type,
        targetId: r.target.id,
        ...(r.details ? { details: r.details } : {}),
      });
    },

    /** Newest first, keyset-paged by id. */
    async list(q: AuditQuery): Promise<{ entries: AuditEntry[]; nextCursor: string | null }> {
      if (q.cursor !== undefined && !/^\d{1,18}$/.test(q.cursor))
        throw fieldError('cursor', 'is not a cursor this API returned');
      const rows = await listAudit(db, {
        siteIds: q.siteId ? [q.siteId] : null,
        ...(q.actor ? { actorId: q.actor } : {}),
        ...(q.action ? { action: q.action } : {}),
        ...(q.cursor ? { beforeId: Number(q.cursor) } : {}),
        limit: q.limit + 1,
      });
      const page = rows.slice(0, q.limit);
      return {
        entries: page.map((r) => ({
          id: String(r.id),
          actorType: r.actor_type,
          actorId: r.actor_id,
          actorEmail: r.actor_email,
          action: r.action,
          siteId: r.site_id,
          targetType: r.target_type,
          targetId: r.target_id,
          details: r.details,
          createdAt: r.created_at,
        })),
        nextCursor: rows.length > q.limit ? String(page.at(-1)!.id) : null,
      };
    },
  };
}

export function createAuditService(db: Db) {
  return bindable(db, auditVerbs);
}

export type AuditService = ReturnType<typeof createAuditService>;
