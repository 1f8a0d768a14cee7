// Bans by email, email domain or IP on one site, optionally until a date. They reject the author's new
// comments (src/bans/ban-check.ts). Creating and lifting one is an audit-log row.
import { z } from 'zod';
import type { AuditService } from '../audit/audit.service.ts';
import { bindable, type Db, type DbOrTx, inTransaction, type Tx } from '../db/database.ts';
import type { BanKind, BanRow } from '../db/schema.ts';
import { actorOf, forbidden, type Principal, requireSite, siteScope } from '../domain/principal.ts';
import { NotFoundError, ValidationError } from '../shared/errors.ts';
import { emailHash } from '../shared/identity.ts';
import { uuidPattern, uuidv7 } from '../shared/ids.ts';
import { canonicalRange } from '../shared/ip-address.ts';
import { zodToFieldErrors } from '../shared/validation.ts';
import type { SiteService, SiteVerbs } from '../sites/site.service.ts';
import * as repo from './ban.repository.ts';

export const BAN_KINDS = ['email', 'domain', 'ip'] as const;

export const banInputSchema = z.object({
  siteId: z.string().min(1, 'is required'),
  kind: z.enum(BAN_KINDS, { message: 'must be email, domain or ip' }),
  value: z.string().trim().min(1, 'is required').max(254, 'must be at most 254 characters'),
  reason: z.string().trim().max(500, 'must be at most 500 characters').optional(),
  /** ISO date-time; omitted or null: until lifted. */
  expiresAt: z.iso
    .datetime({ offset: true, message: 'must be an ISO date-time such as 2030-01-31T12:00:00Z' })
    .nullable()
    .optional(),
});

export interface Ban {
  id: string;
  siteId: string;
  kind: BanKind;
  value: string;
  reason: string | null;
  createdBy: { type: string; id: string };
  createdAt: Date;
  expiresAt: Date | null;
  liftedAt: Date | null;
  active: boolean;
}

/** The widest IP range a moderator may ban: a ban is one click, and a /8 would silence a continent. */
const MIN_BAN_PREFIX = { ipv4: 16, ipv6: 32 };

const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$/;

function toBan(r: BanRow, now = new Date()): Ban {
  return {
    id: r.id,
    siteId: r.site_id,
    kind: r.kind,
    value: r.value,
    reason: r.reason,
    createdBy: { type: r.created_by_type, id: r.created_by_id },
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    liftedAt: r.lifted_at,
    active: r.lifted_at === null && (r.expires_at === null || r.expires_at > now),
  };
}

function banVerbs(db: DbOrTx, deps: { sites: SiteVerbs; audit: AuditService; secret: string }) {
  const { secret, audit } = deps;

  /** What is shown and what is matched: the email and its HMAC, the domain, the canonical IP. */
  function normalise(kind: BanKind, raw: string): { value: string; matchKey: string } {
    const value = raw.trim().toLowerCase();
    if (kind === 'email') {
      if (!z.email().safeParse(value).success)
        throw new ValidationError([{ path: 'value', message: 'must be an email address' }]);
      return { value, matchKey: emailHash(secret, value) };
    }
    if (kind === 'domain') {
      const domain = value.replace(/^@|^\*\./, '');
      if (!DOMAIN.test(domain))
        throw new ValidationError([{ path: 'value', message: 'must be a domain such as example.com' }]);
      return { value: domain, matchKey: domain };
    }
    const ip = canonicalRange(value, MIN_BAN_PREFIX);
    if (!ip)
      throw new ValidationError([
        {
          path: 'value',
          message: `must be an IPv4 or IPv6 address, or a range such as 203.0.113.0/24 or 2001:db8:1:2::/64 (at most /${MIN_BAN_PREFIX.ipv4} for IPv4, /${MIN_BAN_PREFIX.ipv6} for IPv6)`,
        },
      ]);
    return { value: ip, matchKey: ip };
  }

  return {
    async create(who: Principal, input: unknown): Promise<Ban> {
      const parsed = banInputSchema.safeParse(input);
      if (!parsed.success) throw new ValidationError(zodToFieldErrors(parsed.error), 'The ban is invalid.');
      const b = parsed.data;
      requireSite(who, b.siteId);
      await deps.sites.get(b.siteId);
      const expiresAt = b.expiresAt ? new Date(b.expiresAt) : null;
      if (expiresAt && expiresAt <= new Date())
        throw new ValidationError([{ path: 'expiresAt', message: 'must be in the future' }]);
      const { value, matchKey } = normalise(b.kind, b.value);
      const actor = actorOf(who);
      const row = await inTransaction(db, async (tx) => {
        const ban = await repo.insertBan(tx, {
          id: uuidv7(),
          siteId: b.siteId,
          kind: b.kind,
          value,
          matchKey,
          reason: b.reason || null,
          createdBy: actor,
          expiresAt,
        });
        await audit.withTx(tx).record(actor, {
          action: 'ban.create',
          siteId: b.siteId,
          target: { type: 'ban', id: ban.id },
          details: { kind: b.kind, value, expiresAt, reason: ban.reason },
        });
        return ban;
      });
      return toBan(row);
    },

    async list(who: Principal, q: { siteId?: string | undefined; includeInactive?: boolean }): Promise<Ban[]> {
      if (q.siteId) requireSite(who, q.siteId);
      const siteIds = q.siteId ? [q.siteId] : siteScope(who);
      return (await repo.listBans(db, { siteIds, activeAt: q.includeInactive ? null : new Date(), limit: 500 })).map(
        (r) => toBan(r),
      );
    },

    async lift(who: Principal, id: string): Promise<Ban> {
      const row = uuidPattern.test(id) ? await repo.findBan(db, id) : undefined;
      // Someone else's ban and no ban at all answer alike.
      if (!row) throw who.role === 'admin' ? new NotFoundError(`No ban with id "${id.slice(0, 100)}".`) : forbidden();
      requireSite(who, row.site_id);
      const actor = actorOf(who);
      await inTransaction(db, async (tx) => {
        await repo.liftBan(tx, id, new Date());
        await audit.withTx(tx).record(actor, {
          action: 'ban.lift',
          siteId: row.site_id,
          target: { type: 'ban', id: id },
          details: { kind: row.kind, value: row.value },
        });
      });
      return toBan((await repo.findBan(db, id))!);
    },
  };
}

export function createBanService(deps: { db: Db; sites: SiteService; audit: AuditService; secret: string }) {
  return bindable(deps.db, (db) =>
    banVerbs(db, { ...deps, sites: db.isTransaction ? deps.sites.withTx(db as Tx) : deps.sites }),
  );
}

export type BanService = ReturnType<typeof createBanService>;
