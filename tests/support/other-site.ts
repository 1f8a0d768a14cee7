// Two sites and the people around them, for access-control tests: a moderator of "mine" only, an
// admin, and fresh resources on "theirs" (the site the moderator must not touch).
import { randomUUID } from 'node:crypto';
import type { User } from '../../src/auth/user.service.ts';
import { deliveryId } from '../../src/webhooks/process-event.job.ts';
import { createUser, PASSWORD } from './accounts.ts';
import { createSite, submit } from './http.ts';
import type { TestContext } from './test-app.ts';

export const MINE = 'mine';
export const THEIRS = 'theirs';
const setup = { type: 'cli' as const, id: 'test-setup' };

export interface Cast {
  admin: User;
  moderator: User;
  /** A moderator of THEIRS: an account the moderator of MINE must not manage. */
  stranger: User;
}

export async function castOfTwoSites(ctx: TestContext): Promise<Cast> {
  await createSite(ctx, MINE, { moderation: 'all' });
  await createSite(ctx, THEIRS, { moderation: 'all' });
  return {
    admin: await createUser(ctx, 'admin@example.com', 'admin', [], PASSWORD),
    moderator: await createUser(ctx, 'mine-mod@example.com', 'moderator', [MINE], PASSWORD),
    stranger: await createUser(ctx, 'theirs-mod@example.com', 'moderator', [THEIRS], PASSWORD),
  };
}

/** Fresh things on a site, each call a new one (an admin's successful call may change or remove it). */
export function freshOn(ctx: TestContext, cast: Cast, siteId = THEIRS) {
  const c = ctx.container;
  return {
    pendingComment: async () => (await submit(ctx, siteId, { articleId: `walk-${randomUUID()}` })).body.id as string,
    rejectedComment: async () => {
      const id = (await submit(ctx, siteId, { articleId: `walk-${randomUUID()}` })).body.id as string;
      await c.moderation.setStatus(id, 'rejected', setup);
      return id;
    },
    /** A published comment with one open reader report. */
    reportedComment: async () => {
      const id = (await submit(ctx, siteId, { articleId: `walk-${randomUUID()}` })).body.id as string;
      await c.moderation.setStatus(id, 'approved', setup);
      await c.reports.submit(siteId, id, { reason: 'spam', reporterToken: `walk-${randomUUID()}` }, { ip: null });
      return id;
    },
    ban: async () =>
      (
        await c.bans.create(
          { userId: cast.admin.id, email: cast.admin.email, role: 'admin', siteIds: [], via: 'token', sessionId: null },
          { siteId, kind: 'email', value: `${randomUUID()}@example.com` },
        )
      ).ban.id,
    endpoint: async () => (await c.webhooks.create(siteId, { url: 'https://hooks.example.com/walk' })).endpoint.id,
    /** A delivery row written directly: the walk checks who may redeliver, not the delivery itself. */
    delivery: async () => {
      const endpointId = (await c.webhooks.create(siteId, { url: 'https://hooks.example.com/walk' })).endpoint.id;
      const commentId = (await submit(ctx, siteId, { articleId: `walk-${randomUUID()}` })).body.id as string;
      const db = c.database.db;
      const event = await db
        .selectFrom('events')
        .select('id')
        .where('comment_id', '=', commentId)
        .executeTakeFirstOrThrow();
      const id = deliveryId(endpointId, event.id);
      await db
        .insertInto('webhook_deliveries')
        .values({ id, endpoint_id: endpointId, event_id: event.id, status: 'failed' })
        .execute();
      return id;
    },
    user: async () => (await createUser(ctx, `${randomUUID()}@example.com`, 'moderator', [siteId])).id,
    token: async () => (await c.tokens.create(cast.stranger.id, 'walk', setup)).apiToken.id,
  };
}
