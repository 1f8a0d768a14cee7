// API tokens for `Authorization: Bearer`: shown once at creation, stored as SHA-256 (a 256-bit random
// token needs no slow hash), revocable, and revoked for good when their account is disabled or its
// password changes (user.service.ts).
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { AuditService } from '../audit/audit.service.ts';
import { bindable, type Db, type DbOrTx, inTransaction } from '../db/database.ts';
import type { ApiTokenRow } from '../db/schema.ts';
import type { Actor } from '../domain/actor.ts';
import type { Principal } from '../domain/principal.ts';
import { ConflictError, NotFoundError, ValidationError } from '../shared/errors.ts';
import { uuidPattern, uuidv7 } from '../shared/ids.ts';
import { invisibleTextProblem } from '../shared/invisible-text.ts';
import { principalFor, sha256 } from './session.service.ts';
import * as repo from './token.repository.ts';
import { findUserByIdForShare } from './user.repository.ts';

const TOKEN_PREFIX = 'cmt_';
const TOUCH_EVERY_MS = 60_000;
const nameSchema = z
  .string()
  // Other admins read it in the token list: no bidi controls or invisible characters.
  .superRefine((v, ctx) => {
    const problem = invisibleTextProblem(v);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .trim()
  .min(1, 'is required')
  .max(100, 'must be at most 100 characters');

export interface ApiToken {
  id: string;
  userId: string;
  name: string;
  /** The token's first characters, to tell tokens apart; never enough to use it. */
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

function toToken(r: ApiTokenRow): ApiToken {
  return {
    id: r.id,
    userId: r.user_id,
    name: r.name,
    prefix: r.prefix,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
    revokedAt: r.revoked_at,
  };
}

function tokenVerbs(db: DbOrTx, audit: AuditService) {
  return {
    async create(
      userId: string,
      name: string | undefined,
      actor: Actor,
    ): Promise<{ token: string; apiToken: ApiToken }> {
      const parsedName = nameSchema.safeParse(name ?? 'API token');
      if (!parsedName.success)
        throw new ValidationError([{ path: 'name', message: parsedName.error.issues[0]!.message }]);
      if (!uuidPattern.test(userId)) throw new NotFoundError(`No user with id "${userId.slice(0, 100)}".`);
      const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
      const row = await inTransaction(db, async (tx) => {
        // Share-locked: a disable committing meanwhile revokes this token too, or is seen here.
        const user = await findUserByIdForShare(tx, userId);
        if (!user) throw new NotFoundError(`No user with id "${userId.slice(0, 100)}".`);
        // A token made for a disabled account would come alive the day the account is enabled again,
        // which is exactly what disabling revokes tokens to prevent.
        if (user.disabled_at)
          throw new ConflictError('This account is disabled; enable it before making it an API token.', {
            code: 'user_disabled',
          });
        const inserted = await repo.insertToken(tx, {
          id: uuidv7(),
          userId,
          name: parsedName.data,
          tokenHash: sha256(token),
          prefix: token.slice(0, TOKEN_PREFIX.length + 6),
        });
        await audit.withTx(tx).record(actor, {
          action: 'token.create',
          siteId: null,
          target: { type: 'token', id: inserted.id },
          details: { userId, name: inserted.name },
        });
        return inserted;
      });
      return { token, apiToken: toToken(row) };
    },

    async list(userId: string): Promise<ApiToken[]> {
      return (await repo.listTokensOfUser(db, userId)).map(toToken);
    },

    async get(id: string): Promise<ApiToken> {
      const row = uuidPattern.test(id) ? await repo.findToken(db, id) : undefined;
      if (!row) throw new NotFoundError(`No API token with id "${id.slice(0, 100)}".`);
      return toToken(row);
    },

    async revoke(id: string, actor: Actor): Promise<ApiToken> {
      const token = await this.get(id);
      await inTransaction(db, async (tx) => {
        // Revoked already (two admins at once, a second click): one revocation, one audit row.
        if (!(await repo.revokeToken(tx, id, new Date())))
          throw new ConflictError(`The API token ${id} was already revoked. Nothing was changed.`, {
            code: 'token_revoked',
          });
        await audit.withTx(tx).record(actor, {
          action: 'token.revoke',
          siteId: null,
          target: { type: 'token', id: id },
          details: { userId: token.userId },
        });
      });
      return this.get(id);
    },

    async resolve(token: string): Promise<Principal | null> {
      if (!token.startsWith(TOKEN_PREFIX) || token.length > 100) return null;
      const found = await repo.findTokenWithUser(db, sha256(token));
      if (!found || found.token.revoked_at || found.user.disabled_at) return null;
      const now = Date.now();
      if (!found.token.last_used_at || now - found.token.last_used_at.getTime() > TOUCH_EVERY_MS)
        await repo.touchToken(db, found.token.id, new Date(now));
      return principalFor(db, found.user, 'token', null);
    },
  };
}

export function createTokenService(deps: { db: Db; audit: AuditService }) {
  return bindable(deps.db, (db) => tokenVerbs(db, deps.audit));
}

export type TokenService = ReturnType<typeof createTokenService>;
