// Bans by email, email domain or IP on one site, optionally until a date. They reject the author's new
// comments (src/bans/ban-check.ts) and, when asked, the author's held ones in the same transaction.
// A domain or IP ban can hit many readers, so it needs a confirmation (its impact is counted first) and
// a webmail domain an explicit override. Creating and lifting one is an audit-log row.
import { z } from 'zod';
import type { AuditService } from '../audit/audit.service.ts';
import { bindable, type Db, type DbOrTx, inTransaction, type Tx } from '../db/database.ts';
import type { BanKind, BanRow } from '../db/schema.ts';
import type { Actor } from '../domain/actor.ts';
import { actorOf, forbidden, type Principal, requireSite, siteScope } from '../domain/principal.ts';
import { ConflictError, NotFoundError, UnprocessableError, ValidationError } from '../shared/errors.ts';
import { emailHash } from '../shared/identity.ts';
import { uuidPattern, uuidv7 } from '../shared/ids.ts';
import { invisibleTextProblem } from '../shared/invisible-text.ts';
import { canonicalRange } from '../shared/ip-address.ts';
import { zodToFieldErrors } from '../shared/validation.ts';
import type { SiteService, SiteVerbs } from '../sites/site.service.ts';
import * as repo from './ban.repository.ts';
import type { BanImpact, BanReach } from './ban-reach.ts';
import { banSubject } from './ban-subject.ts';
import { isWebmailDomain } from './webmail-domains.ts';

export const BAN_KINDS = ['email', 'domain', 'ip'] as const;

export const banInputSchema = z.object({
  siteId: z.string().min(1, 'is required'),
  kind: z.enum(BAN_KINDS, { message: 'must be email, domain or ip' }),
  value: z.string().trim().min(1, 'is required').max(254, 'must be at most 254 characters'),
  // Shown to other moderators (and in the audit log): no bidi controls or invisible characters.
  reason: z
    .string()
    .superRefine((v, ctx) => {
      const problem = invisibleTextProblem(v);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .trim()
    .max(500, 'must be at most 500 characters')
    .optional(),
  /** ISO date-time; omitted or null: until lifted. */
  expiresAt: z.iso
    .datetime({ offset: true, message: 'must be an ISO date-time such as 2030-01-31T12:00:00Z' })
    .nullable()
    .optional(),
  /** Also reject the author's held (pending) comments that the ban matches, in the ban's transaction. */
  rejectHeld: z.boolean({ message: 'must be true or false' }).optional(),
  /** A domain or IP ban is made only with this set (after looking at its preview). */
  confirm: z.boolean({ message: 'must be true or false' }).optional(),
  /** A webmail domain (gmail.com, …) is banned only with this set. */
  allowWebmail: z.boolean({ message: 'must be true or false' }).optional(),
});

type BanInput = z.infer<typeof banInputSchema>;

/** What a ban would hit before it is made: the normalised value and its impact on the site. */
export interface BanPreview extends BanImpact {
  siteId: string;
  kind: BanKind;
  value: string;
  /** A webmail domain: the ban needs `allowWebmail`. */
  webmail: boolean;
  /** Domain and IP bans need `confirm`. */
  needsConfirmation: boolean;
  /** The ban of this value already in force on the site: a new one would be refused (409 ban_exists). */
  existing: ExistingBan | null;
}

/** A ban in force, as a refused duplicate names it. */
export interface ExistingBan {
  id: string;
  /** The moderator's email, or "the command line", "the system". */
  createdBy: string;
  createdAt: Date;
  expiresAt: Date | null;
  reason: string | null;
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/** "3 authors and 7 comments (2 held)": what a confirmation names. */
export function describeImpact(i: BanImpact): string {
  return `${plural(i.authors, 'author')} and ${plural(i.comments, 'comment')} (${i.held} held)`;
}

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

function existingOf(r: BanRow & { creator_email: string | null }): ExistingBan {
  const createdBy =
    r.creator_email ??
    (r.created_by_type === 'cli' ? 'the command line' : r.created_by_type === 'user' ? 'a moderator' : 'the system');
  return { id: r.id, createdBy, createdAt: r.created_at, expiresAt: r.expires_at, reason: r.reason };
}

/**
 * A second ban of what is already banned is refused, naming the ban in force: two rows for one value
 * would make lifting one leave the other in force unseen. The moderator lifts it first to change its
 * reason or duration.
 */
export function alreadyBanned(kind: BanKind, value: string, siteId: string, e: ExistingBan | null): ConflictError {
  const what = `${kind === 'ip' ? 'IP' : kind} ${value}`;
  const since = e
    ? ` (ban ${e.id}, by ${e.createdBy} on ${e.createdAt.toISOString()}${e.expiresAt ? `, until ${e.expiresAt.toISOString()}` : ', until lifted'})`
    : '';
  return new ConflictError(
    `The ${what} is already banned on ${siteId}${since}. Nothing was changed; lift that ban first to ban it again with another reason or duration.`,
    {
      code: 'ban_exists',
      errors: [{ path: 'value', message: e ? `is already banned (ban ${e.id})` : 'is already banned' }],
      ...(e
        ? { conflicts: [{ id: e.id, current: 'active', changedBy: e.createdBy, changedAt: e.createdAt.toISOString() }] }
        : {}),
    },
  );
}

function banVerbs(db: DbOrTx, deps: { sites: SiteVerbs; audit: AuditService; secret: string; reach: BanReach }) {
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

  function parse(input: unknown): BanInput {
    const parsed = banInputSchema.safeParse(input);
    if (!parsed.success) throw new ValidationError(zodToFieldErrors(parsed.error), 'The ban is invalid.');
    return parsed.data;
  }

  async function previewOf(b: BanInput): Promise<BanPreview> {
    const { value, matchKey } = normalise(b.kind, b.value);
    const impact = await deps.reach.impact(db, b.siteId, { kind: b.kind, key: matchKey });
    const existing = await repo.findActiveBan(db, b.siteId, b.kind, matchKey, new Date());
    return {
      siteId: b.siteId,
      kind: b.kind,
      value,
      ...impact,
      webmail: b.kind === 'domain' && isWebmailDomain(value),
      needsConfirmation: b.kind !== 'email',
      existing: existing ? existingOf(existing) : null,
    };
  }

  async function make(actor: Actor, b: BanInput): Promise<{ ban: Ban; rejected: string[] }> {
    await deps.sites.get(b.siteId);
    const expiresAt = b.expiresAt ? new Date(b.expiresAt) : null;
    if (expiresAt && expiresAt <= new Date())
      throw new ValidationError([{ path: 'expiresAt', message: 'must be in the future' }]);
    const { value, matchKey } = normalise(b.kind, b.value);
    // Already banned: said before any confirmation is asked for (there is nothing to confirm).
    const now = new Date();
    const before = await repo.findActiveBan(db, b.siteId, b.kind, matchKey, now);
    if (before) throw alreadyBanned(b.kind, value, b.siteId, existingOf(before));
    if (b.kind === 'domain' && isWebmailDomain(value) && !b.allowWebmail)
      throw new UnprocessableError(
        `${value} is a webmail domain: banning it would reject everyone on this site who writes from it. Send allowWebmail: true to ban it anyway.`,
        {
          code: 'webmail_domain',
          errors: [{ path: 'allowWebmail', message: `${value} is a webmail domain; set allowWebmail to ban it` }],
        },
      );
    if (b.kind !== 'email' && !b.confirm) {
      const impact = await deps.reach.impact(db, b.siteId, { kind: b.kind, key: matchKey });
      throw new ConflictError(
        `Banning the ${b.kind === 'ip' ? 'IP' : 'domain'} ${value} on ${b.siteId} would hit ${describeImpact(impact)}. Send confirm: true to ban.`,
        {
          code: 'confirmation_required',
          errors: [{ path: 'confirm', message: `would hit ${describeImpact(impact)}; preview the ban, then confirm` }],
        },
      );
    }
    const { row, rejected, afterCommit } = await inTransaction(db, async (tx) => {
      const ban = await repo.insertBanUnlessActive(
        tx,
        {
          id: uuidv7(),
          siteId: b.siteId,
          kind: b.kind,
          value,
          matchKey,
          reason: b.reason || null,
          createdBy: actor,
          expiresAt,
        },
        now,
      );
      // A colleague's ban of the same value committed since the check above (two moderators at once):
      // this one is refused and its transaction (held comments included) rolled back.
      if (!ban) {
        const winner = await repo.findActiveBan(tx, b.siteId, b.kind, matchKey, new Date());
        throw alreadyBanned(b.kind, value, b.siteId, winner ? existingOf(winner) : null);
      }
      const held = b.rejectHeld
        ? await deps.reach.rejectHeld(
            tx,
            b.siteId,
            { kind: b.kind, key: matchKey },
            actor,
            `Banned by ${b.kind}${ban.reason ? `: ${ban.reason}` : ''}`,
          )
        : { rejected: [], afterCommit: async () => {} };
      await audit.withTx(tx).record(actor, {
        action: 'ban.create',
        siteId: b.siteId,
        target: { type: 'ban', id: ban.id },
        details: {
          kind: b.kind,
          value,
          expiresAt,
          reason: ban.reason,
          ...(b.rejectHeld ? { rejectedHeld: held.rejected.length } : {}),
        },
      });
      return { row: ban, ...held };
    });
    // Bound to a caller's transaction (withTx), this runs before that transaction commits: the notices
    // (cache invalidation, a nudge to the event relay) are harmless if it then rolls back.
    await afterCommit();
    return { ban: toBan(row), rejected };
  }

  return {
    /** What the ban would hit; nothing is written. */
    async preview(who: Principal, input: unknown): Promise<BanPreview> {
      const b = parse(input);
      requireSite(who, b.siteId);
      await deps.sites.get(b.siteId);
      return previewOf(b);
    },

    async create(who: Principal, input: unknown): Promise<{ ban: Ban; rejected: string[] }> {
      const b = parse(input);
      requireSite(who, b.siteId);
      return make(actorOf(who), b);
    },

    async previewAsOperator(input: unknown): Promise<BanPreview> {
      const b = parse(input);
      await deps.sites.get(b.siteId);
      return previewOf(b);
    },

    /** Operators (CLI): any site, under the same rules (confirmation, webmail override). */
    async createAsOperator(actor: Actor, input: unknown): Promise<{ ban: Ban; rejected: string[] }> {
      return make(actor, parse(input));
    },

    /** The ban in force on each author (by email HMAC, domain or IP), for the review queue's cards. */
    async activeFor(
      authors: { siteId: string; email: string; emailHash: string; ip: string | null }[],
    ): Promise<(Ban | null)[]> {
      const now = new Date();
      const seen = new Map<string, Ban | null>();
      const out: (Ban | null)[] = [];
      for (const a of authors) {
        const key = `${a.siteId}\u0000${a.emailHash}\u0000${a.email}\u0000${a.ip ?? ''}`;
        if (!seen.has(key)) {
          const row = await repo
            .activeBanQuery(db, a.siteId, banSubject(a.email, a.emailHash, a.ip), now)
            .executeTakeFirst();
          seen.set(key, row ? toBan(row, now) : null);
        }
        out.push(seen.get(key)!);
      }
      return out;
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
        // Two moderators lifting one ban at once (or a second click): one lifts it, the other is told,
        // and only the lift that happened is in the audit log.
        if (!(await repo.liftBan(tx, id, new Date())))
          throw new ConflictError(`The ban ${id} was already lifted. Nothing was changed.`, {
            code: 'ban_lifted',
          });
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

export function createBanService(deps: {
  db: Db;
  sites: SiteService;
  audit: AuditService;
  secret: string;
  reach: BanReach;
}) {
  return bindable(deps.db, (db) =>
    banVerbs(db, { ...deps, sites: db.isTransaction ? deps.sites.withTx(db as Tx) : deps.sites }),
  );
}

export type BanService = ReturnType<typeof createBanService>;
