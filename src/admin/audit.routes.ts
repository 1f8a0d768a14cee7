// Admin: the audit log of actions that are not a comment's status change (bans, sites, accounts, tokens, webhooks).
import { createRoute, z } from '@hono/zod-openapi';
import { openApiRouter } from '../http/openapi.ts';
import { authProblems, signedIn } from '../http/openapi-common.ts';
import { auditEntrySchema } from './admin.schemas.ts';
import type { AdminService } from './admin.service.ts';

const listRoute = createRoute({
  method: 'get',
  path: '/audit-log',
  tags: ['Admin'],
  summary: 'Who changed bans, sites, accounts, tokens and webhooks, newest first',
  description: 'Comment status changes are in GET /api/v1/moderation/log.',
  security: signedIn,
  request: {
    query: z.object({
      siteId: z.string().max(63).optional(),
      actor: z.string().max(100).optional().openapi({ description: 'A user id, or "cli" / "ADMIN_EMAIL".' }),
      action: z.string().max(50).optional().openapi({ example: 'ban.create' }),
      cursor: z.string().max(20).optional(),
      limit: z.coerce.number().int().min(1).max(200).default(50),
    }),
  },
  responses: {
    200: {
      description: 'One page',
      content: {
        'application/json': {
          schema: z.object({ entries: z.array(auditEntrySchema), nextCursor: z.string().nullable() }),
        },
      },
    },
    ...authProblems,
  },
});

export function auditRoutes(deps: { admin: AdminService }) {
  const app = openApiRouter();
  app.openapi(listRoute, async (c) => c.json(await deps.admin.auditLog(c.req.valid('query')), 200));
  return app;
}
