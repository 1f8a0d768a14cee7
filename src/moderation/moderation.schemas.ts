// The moderation actions' request shapes, as zod schemas (answers are review's ModeratedComment).
import { z } from '@hono/zod-openapi';
import { MAX_BULK, MODERATION_ACTIONS } from './moderation.service.ts';

export const actionBodySchema = z.object({
  reason: z.string().max(1000).optional().openapi({ description: 'Why, for the moderation log.' }),
});

export const bulkBodySchema = z
  .object({
    ids: z.array(z.string().max(100)).min(1).max(MAX_BULK),
    action: z.enum(MODERATION_ACTIONS),
    reason: z.string().max(1000).optional(),
  })
  .openapi('BulkAction');
