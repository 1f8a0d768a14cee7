// The moderation actions' request shapes, as zod schemas (answers are review's ModeratedComment).
import { z } from '@hono/zod-openapi';
import { COMMENT_STATUSES } from '../domain/comment-status.ts';
import { MAX_BULK, MODERATION_ACTIONS } from './moderation.service.ts';

const statusSchema = z.enum(COMMENT_STATUSES);

export const actionBodySchema = z.object({
  reason: z.string().max(1000).optional().openapi({ description: 'Why, for the moderation log.' }),
  expectedStatus: statusSchema.optional().openapi({
    description:
      'The status you last saw. If the comment has another now, nothing changes and the answer is 409 naming its status, who set it and when. Omitted: the change is unconditional (kept for older scripts; the dashboard always sends it).',
  }),
});

export const bulkBodySchema = z
  .object({
    ids: z.array(z.string().max(100)).min(1).max(MAX_BULK),
    action: z.enum(MODERATION_ACTIONS),
    reason: z.string().max(1000).optional(),
    expectedStatus: z
      .union([statusSchema, z.record(z.string().max(100), statusSchema)])
      .optional()
      .openapi({
        description:
          'The status you last saw: one for all, or one per comment id. If any comment has another now, nothing changes and the 409 lists each conflicting id in `conflicts`. Omitted: unconditional.',
      }),
  })
  .openapi('BulkAction');
