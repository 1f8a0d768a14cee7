import type { MiddlewareHandler } from 'hono';
import { requireAdmin } from '../../domain/principal.ts';
import type { AppEnv } from '../../http/app-env.ts';

/** For the admin sections, mounted on their own prefix so it never covers moderators' pages. */
export const adminOnly: MiddlewareHandler<AppEnv> = async function adminOnly(c, next) {
  requireAdmin(c.get('principal'));
  await next();
};
