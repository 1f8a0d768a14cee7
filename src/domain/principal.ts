// Who is making a request, and what they may touch. Admins work on every site; moderators only on
// the sites assigned to them. Every check that fails says "forbidden" and nothing else.
import { ForbiddenError } from '../shared/errors.ts';
import type { Actor } from './actor.ts';

export const USER_ROLES = ['admin', 'moderator'] as const;
export type UserRole = (typeof USER_ROLES)[number];

export interface Principal {
  userId: string;
  email: string;
  role: UserRole;
  /** Assigned sites (moderators); admins have every site. */
  siteIds: string[];
  via: 'session' | 'token';
  /** The session's id (hash of its token) when signed in with a cookie: CSRF tokens derive from it. */
  sessionId: string | null;
}

export const isAdmin = (p: Principal) => p.role === 'admin';

function canAccessSite(p: Principal, siteId: string): boolean {
  return isAdmin(p) || p.siteIds.includes(siteId);
}

/** The same answer for "not yours" and "does not exist": a moderator learns nothing about other sites. */
export function forbidden(): ForbiddenError {
  return new ForbiddenError('You do not have access to this.', { code: 'forbidden' });
}

export function requireSite(p: Principal, siteId: string): void {
  if (!canAccessSite(p, siteId)) throw forbidden();
}

export function requireAdmin(p: Principal): void {
  if (!isAdmin(p)) throw new ForbiddenError('Only administrators can do this.', { code: 'admin_only' });
}

/** Sites the principal may see: null means every site. */
export function siteScope(p: Principal): string[] | null {
  return isAdmin(p) ? null : p.siteIds;
}

export function actorOf(p: Principal): Actor {
  return { type: 'user', id: p.userId };
}
