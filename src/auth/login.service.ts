// Signing in: rate-limited (login-limiter.ts: the attempt is reserved before the password is checked),
// the same answer for an unknown email, a wrong password and a disabled account, a brand-new session
// every time, and a fresh device cookie for the browser that signed in.
import { z } from 'zod';
import type { Db } from '../db/database.ts';
import type { Principal } from '../domain/principal.ts';
import { RateLimitedError, UnauthenticatedError, ValidationError } from '../shared/errors.ts';
import { textProblem } from '../shared/text.ts';
import type { DeviceCookies } from './device-cookie.ts';
import type { LoginLimiter } from './login-limiter.ts';
import { decoyHash, verifyPassword } from './password.ts';
import { principalFor, type SessionService } from './session.service.ts';
import { findUserByEmail } from './user.repository.ts';

const noBadText = (v: string) => textProblem(v, false) === null;

export const loginInputSchema = z.object({
  email: z
    .string()
    .trim()
    .min(1, 'is required')
    .max(254)
    .refine(noBadText, 'must not contain NUL bytes, control characters or lone surrogates'),
  password: z
    .string()
    .min(1, 'is required')
    .max(1024)
    .refine(noBadText, 'must not contain NUL bytes, control characters or lone surrogates'),
});

export interface LoginResult {
  principal: Principal;
  /** The cookie's value. */
  token: string;
  expiresAt: Date;
  csrfToken: string;
  /** The device cookie's new value. */
  deviceCookie: string;
}

export interface LoginClient {
  ip: string | null;
  userAgent: string | null;
  /** The device cookie the browser sent, if any. */
  deviceCookie?: string | undefined;
  /** The session cookie the browser sent, if any: ended by a successful sign-in (never kept alongside). */
  sessionCookie?: string | undefined;
}

export function createLoginService(deps: {
  db: Db;
  sessions: SessionService;
  limiter: LoginLimiter;
  devices: DeviceCookies;
}) {
  const { db, sessions, limiter, devices } = deps;

  return {
    async login(input: unknown, client: LoginClient): Promise<LoginResult> {
      const parsed = loginInputSchema.safeParse(input);
      if (!parsed.success)
        throw new ValidationError(
          parsed.error.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message })),
        );
      const { email, password } = parsed.data;
      const deviceId = devices.verify(client.deviceCookie, email);
      const attempt = await limiter.begin({ email, ip: client.ip, deviceId });
      if (attempt.lockedFor > 0)
        throw new RateLimitedError('Too many failed sign-ins. Try again later.', attempt.lockedFor, 'login_locked');
      const user = await findUserByEmail(db, email);
      const ok = await verifyPassword(password, user?.password_hash ?? (await decoyHash()));
      if (!user || !ok || user.disabled_at) {
        await attempt.failed();
        throw new UnauthenticatedError('Wrong email or password.', { code: 'login_failed' });
      }
      await attempt.succeeded();
      // The browser's previous session ends here: a session planted before sign-in (fixation), or
      // another account's on a shared computer, never outlives it.
      if (client.sessionCookie) await sessions.endToken(client.sessionCookie);
      const session = await sessions.start(
        { id: user.id, passwordHash: user.password_hash },
        { ip: client.ip, userAgent: client.userAgent },
      );
      // The password was changed (or the account disabled) while it was being checked: the old one no
      // longer signs anyone in.
      if (!session) throw new UnauthenticatedError('Wrong email or password.', { code: 'login_failed' });
      return {
        principal: await principalFor(db, user, 'session', session.sessionId),
        token: session.token,
        expiresAt: session.expiresAt,
        csrfToken: sessions.csrfToken(session.sessionId),
        deviceCookie: devices.issue(email),
      };
    },
  };
}

export type LoginService = ReturnType<typeof createLoginService>;
