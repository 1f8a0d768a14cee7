// Dashboard sessions: an opaque random token in the cookie, its SHA-256 in the database. A session
// ends on logout, when its account is disabled or its password changed (all but the session that
// changed it), after IDLE_MS without a request, and ABSOLUTE_MS after sign-in whatever happens.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db } from '../db/database.ts';
import type { UserRow } from '../db/schema.ts';
import type { Principal } from '../domain/principal.ts';
import * as repo from './session.repository.ts';
import { siteIdsByUser } from './user.repository.ts';

const SESSION_IDLE_MS = 2 * 3_600_000;
export const SESSION_ABSOLUTE_MS = 12 * 3_600_000;
/** last_seen_at is written at most this often, so reading pages does not write on every request. */
const TOUCH_EVERY_MS = 60_000;

export const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

export async function principalFor(
  db: Db,
  user: UserRow,
  via: Principal['via'],
  sessionId: string | null,
): Promise<Principal> {
  const siteIds = (await siteIdsByUser(db, [user.id])).get(user.id) ?? [];
  return { userId: user.id, email: user.email, role: user.role, siteIds, via, sessionId };
}

export function createSessionService(deps: { db: Db; secret: string }) {
  const { db, secret } = deps;

  return {
    /**
     * A brand-new session (never a reused id: signing in always rotates), for an account whose password
     * was just checked against `passwordHash`. Null when the password changed or the account was disabled
     * since: a sign-in with the old password must not outlive the change. Returns the cookie's token.
     */
    async start(
      user: { id: string; passwordHash: string },
      client: { ip: string | null; userAgent: string | null },
    ): Promise<{ token: string; sessionId: string; expiresAt: Date } | null> {
      const token = randomBytes(32).toString('base64url');
      const sessionId = sha256(token);
      const expiresAt = new Date(Date.now() + SESSION_ABSOLUTE_MS);
      const session = {
        id: sessionId,
        userId: user.id,
        expiresAt,
        ip: client.ip,
        userAgent: client.userAgent?.slice(0, 512) ?? null,
      };
      if (!(await repo.insertSessionIfCurrent(db, session, user.passwordHash))) return null;
      return { token, sessionId, expiresAt };
    },

    /** The signed-in principal for a cookie's token, or null when it is unknown, expired or its account disabled. */
    async resolve(token: string, opts: { activity?: boolean } = {}): Promise<Principal | null> {
      if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
      const id = sha256(token);
      const found = await repo.findSessionWithUser(db, id);
      if (!found) return null;
      const now = Date.now();
      const { session, user } = found;
      const expired = session.expires_at.getTime() <= now || session.last_seen_at.getTime() + SESSION_IDLE_MS <= now;
      if (expired || user.disabled_at) {
        await repo.deleteSession(db, id);
        return null;
      }
      // Background requests (the queue's live updates) do not count as activity: an open tab alone
      // must not keep a session from idling out.
      if (opts.activity !== false && now - session.last_seen_at.getTime() > TOUCH_EVERY_MS)
        await repo.touchSession(db, id, new Date(now));
      return principalFor(db, user, 'session', id);
    },

    async end(sessionId: string): Promise<void> {
      await repo.deleteSession(db, sessionId);
    },

    /** Ends the session a cookie's token names, if any (whoever it belonged to). */
    async endToken(token: string): Promise<void> {
      if (/^[A-Za-z0-9_-]{43}$/.test(token)) await repo.deleteSession(db, sha256(token));
    },

    /** The session's CSRF token: derived from its id with the server secret, so nothing more is stored. */
    csrfToken(sessionId: string): string {
      return createHmac('sha256', secret).update(`csrf:${sessionId}`).digest('base64url');
    },

    checkCsrf(sessionId: string, given: string | undefined | null): boolean {
      if (!given) return false;
      const expected = Buffer.from(this.csrfToken(sessionId));
      const actual = Buffer.from(given);
      return expected.length === actual.length && timingSafeEqual(expected, actual);
    },

    async sweep(): Promise<void> {
      const now = new Date();
      await repo.deleteExpiredSessions(db, new Date(now.getTime() - SESSION_IDLE_MS), now);
    },
  };
}

export type SessionService = ReturnType<typeof createSessionService>;
