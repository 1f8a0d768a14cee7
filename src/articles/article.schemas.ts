// An article as the moderation and admin APIs answer it (src/articles/article.service.ts's Article).
import { z } from '@hono/zod-openapi';
import { MODERATION_MODES } from '../domain/moderation-mode.ts';
import { isoDate } from '../http/openapi-common.ts';

export const articleSchema = z
  .object({
    id: z.string().openapi({ description: "The publisher's id for the article." }),
    siteId: z.string(),
    url: z.string().nullable(),
    title: z.string().nullable(),
    commentCount: z.number().int(),
    closed: z
      .boolean()
      .openapi({ description: "Closed to new comments, by hand or by the site's close-after-days rule." }),
    closedAt: isoDate.nullable().openapi({ description: 'When it was closed (null while open).' }),
    moderation: z
      .enum(MODERATION_MODES)
      .nullable()
      .openapi({ description: "The article's own moderation mode; null: it follows the site's." }),
    effectiveModeration: z
      .enum(MODERATION_MODES)
      .openapi({ description: "The mode its new comments get: its own, else the site's." }),
    editedAt: isoDate.nullable().openapi({ description: 'Set by an admin edit: comments never change it after.' }),
    createdAt: isoDate,
  })
  .openapi('Article');
