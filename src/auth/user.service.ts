// Accounts: admins and moderators, their sites, enabling, disabling and passwords. Every change is an
// audit-log row in the same transaction. Disabling an account ends all its sessions and revokes all its
// API tokens for good (enabling it again brings none back); a new password does the same, except that
// an admin changing their own password keeps the session they did it with.
import { z } from 'zod';
import type { AuditService } from '../audit/audit.service.ts';
import { bindable, type Db, type DbOrTx, inTransaction } from '../db/database.ts';
import type { UserRow } from '../db/schema.ts';
import type { Actor } from '../domain/actor.ts';
import { USER_ROLES, type UserRole } from '../domain/principal.ts';
import { ConflictError, type FieldError, NotFoundError, ValidationError } from '../shared/errors.ts';
import { uuidPattern, uuidv7 } from '../shared/ids.ts';
import { hashPassword, passwordSchema } from './password.ts';
import { deleteSessionsOfUser } from './session.repository.ts';
import { revokeTokensOfUser } from './token.repository.ts';
import * as repo from './user.repository.ts';

export interface User {
  id: string;
  email: string;
  role: UserRole;
  siteIds: string[];
  disabled: boolean;
  createdAt: Date;
}

interface UserInput {
  email: string;
  role: UserRole;
  password: string;
  siteIds?: string[];
}

interface UserPatch {
  role?: UserRole;
  siteIds?: string[];
  disabled?: boolean;
}

const emailSchema = z.string().trim().toLowerCase().max(254).pipe(z.email('must be a valid email address'));
const roleSchema = z.enum(USER_ROLES, { message: 'must be admin or moderator' });

function toUser(r: UserRow, siteIds: string[]): User {
  return { id: r.id, email: r.email, role: r.role, siteIds, disabled: r.disabled_at !== null, createdAt: r.created_at };
}

function check<T>(schema: z.ZodType<T>, value: unknown, path: string, errors: FieldError[]): T | undefined {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  errors.push({ path, message: parsed.error.issues[0]!.message });
  return undefined;
}

function userVerbs(db: DbOrTx, audit: AuditService) {
  async function checkSites(tx: DbOrTx, siteIds: string[] | undefined): Promise<string[]> {
    const unique = [...new Set(siteIds ?? [])];
    const known = await repo.existingSiteIds(tx, unique);
    const unknown = unique.filter((s) => !known.has(s));
    if (unknown.length)
      throw new ValidationError([
        {
          path: 'siteIds',
          message: `unknown site${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ').slice(0, 200)}`,
        },
      ]);
    return unique;
  }

  async function rowById(tx: DbOrTx, id: string): Promise<UserRow> {
    const row = uuidPattern.test(id) ? await repo.findUserById(tx, id) : undefined;
    if (!row) throw new NotFoundError(`No user with id "${id.slice(0, 100)}".`);
    return row;
  }

  /** The last enabled admin cannot be demoted or disabled: nobody could manage the service any more. */
  async function keepAnAdmin(tx: DbOrTx, row: UserRow, patch: UserPatch): Promise<void> {
    const losesAdmin =
      row.role === 'admin' && row.disabled_at === null && (patch.role === 'moderator' || patch.disabled === true);
    if (losesAdmin && (await repo.countActiveAdmins(tx)) <= 1)
      throw new ConflictError('This is the last active administrator; promote another one first.');
  }

  return {
    async create(input: UserInput, actor: Actor): Promise<User> {
      const errors: FieldError[] = [];
      const email = check(emailSchema, input.email, 'email', errors);
      const role = check(roleSchema, input.role, 'role', errors);
      check(passwordSchema, input.password, 'password', errors);
      if (errors.length) throw new ValidationError(errors, 'The account is invalid.');
      const passwordHash = await hashPassword(input.password);
      return inTransaction(db, async (tx) => {
        const siteIds = await checkSites(tx, input.siteIds);
        const row = await repo.insertUser(tx, { id: uuidv7(), email: email!, role: role!, passwordHash });
        if (!row) throw new ConflictError(`An account for ${email} already exists.`);
        await repo.replaceUserSites(tx, row.id, siteIds);
        await audit.withTx(tx).record(actor, {
          action: 'user.create',
          siteId: null,
          target: { type: 'user', id: row.id },
          details: { email, role, siteIds },
        });
        return toUser(row, siteIds);
      });
    },

    async list(): Promise<User[]> {
      const rows = await repo.listUsers(db);
      const sites = await repo.siteIdsByUser(
        db,
        rows.map((r) => r.id),
      );
      return rows.map((r) => toUser(r, sites.get(r.id) ?? []));
    },

    async get(id: string): Promise<User> {
      const row = await rowById(db, id);
      return toUser(row, (await repo.siteIdsByUser(db, [id])).get(id) ?? []);
    },

    async findByEmail(email: string): Promise<User> {
      const row = await repo.findUserByEmail(db, email.trim());
      if (!row) throw new NotFoundError(`No account for ${email.slice(0, 254)}.`);
      return this.get(row.id);
    },

    async update(id: string, patch: UserPatch, actor: Actor): Promise<User> {
      const errors: FieldError[] = [];
      if (patch.role !== undefined) check(roleSchema, patch.role, 'role', errors);
      if (errors.length) throw new ValidationError(errors);
      return inTransaction(db, async (tx) => {
        // Two admins demoting or disabling each other at once must not leave no admin at all: the admins
        // are locked first (always in the same order), then the account itself, read as committed now.
        if (patch.role !== undefined || patch.disabled !== undefined) await repo.lockActiveAdmins(tx);
        const row = uuidPattern.test(id) ? await repo.findUserByIdForUpdate(tx, id) : undefined;
        if (!row) throw new NotFoundError(`No user with id "${id.slice(0, 100)}".`);
        await keepAnAdmin(tx, row, patch);
        const disabledAt =
          patch.disabled === undefined ? undefined : patch.disabled ? (row.disabled_at ?? new Date()) : null;
        const updated = await repo.updateUser(tx, id, {
          ...(patch.role ? { role: patch.role } : {}),
          ...(disabledAt !== undefined ? { disabledAt } : {}),
        });
        if (patch.siteIds !== undefined) await repo.replaceUserSites(tx, id, await checkSites(tx, patch.siteIds));
        let tokensRevoked: number | undefined;
        if (patch.disabled) {
          await deleteSessionsOfUser(tx, id);
          tokensRevoked = await revokeTokensOfUser(tx, id, new Date());
        }
        const action =
          patch.disabled === true ? 'user.disable' : patch.disabled === false ? 'user.enable' : 'user.update';
        await audit.withTx(tx).record(actor, {
          action,
          siteId: null,
          target: { type: 'user', id },
          details: { ...patch, ...(tokensRevoked ? { tokensRevoked } : {}) },
        });
        return toUser(updated!, (await repo.siteIdsByUser(tx, [id])).get(id) ?? []);
      });
    },

    /**
     * A new password ends every session of the account and revokes every API token it has: whoever
     * knew the old password is signed out, and a token made or copied with it is no use either (an
     * admin resetting a password usually suspects exactly that). Only `keepSessionId`, the session an
     * admin changed their own password with, stays signed in.
     */
    async resetPassword(
      id: string,
      password: string,
      actor: Actor,
      opts: { keepSessionId?: string | null } = {},
    ): Promise<void> {
      const parsed = passwordSchema.safeParse(password);
      if (!parsed.success) throw new ValidationError([{ path: 'password', message: parsed.error.issues[0]!.message }]);
      const passwordHash = await hashPassword(password);
      await inTransaction(db, async (tx) => {
        // Locked first: a sign-in checked against the old password waits for this change, then finds
        // the new hash and makes no session (session.repository.ts, insertSessionIfCurrent).
        const row = uuidPattern.test(id) ? await repo.findUserByIdForUpdate(tx, id) : undefined;
        if (!row) throw new NotFoundError(`No user with id "${id.slice(0, 100)}".`);
        await repo.updateUser(tx, id, { passwordHash });
        const sessionsEnded = await deleteSessionsOfUser(tx, id, opts.keepSessionId ?? null);
        const tokensRevoked = await revokeTokensOfUser(tx, id, new Date());
        await audit.withTx(tx).record(actor, {
          action: 'user.reset-password',
          siteId: null,
          target: { type: 'user', id: id },
          details: { sessionsEnded, tokensRevoked },
        });
      });
    },

    /** ADMIN_EMAIL / ADMIN_PASSWORD at start: create the admin, or make sure it is an enabled admin (its password is left alone). */
    async ensureAdmin(email: string, password: string): Promise<'created' | 'updated' | 'unchanged'> {
      const system: Actor = { type: 'system', id: 'ADMIN_EMAIL' };
      const existing = await repo.findUserByEmail(db, email);
      if (!existing) {
        try {
          await this.create({ email, role: 'admin', password }, system);
          return 'created';
        } catch (err) {
          if (!(err instanceof ConflictError)) throw err; // another process created it just now
          return 'unchanged';
        }
      }
      if (existing.role === 'admin' && existing.disabled_at === null) return 'unchanged';
      await this.update(existing.id, { role: 'admin', disabled: false }, system);
      return 'updated';
    },
  };
}

export function createUserService(deps: { db: Db; audit: AuditService }) {
  return bindable(deps.db, (db) => userVerbs(db, deps.audit));
}

export type UserService = ReturnType<typeof createUserService>;
