// The `webhooks` of /openapi.json: one entry per event type, with the body endpoints are sent
// (comments/event-payload.ts as shaped for each endpoint by webhook-payload.ts) and the Standard
// Webhooks headers deliver-webhook.job.ts signs it with. tests/e2e/openapi-contract.test.ts checks
// delivered bodies against these schemas, so a field added to the payload must be added here.
// Article events come from src/articles/article.service.ts (articleEvent), import.completed from
// src/transfer/import.service.ts.
import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { COMMENT_STATUSES } from '../domain/comment-status.ts';
import { EVENT_TYPES, type EventType } from '../domain/event-types.ts';
import { MODERATION_MODES } from '../domain/moderation-mode.ts';

const isoDate = z.string().openapi({ format: 'date-time' });
const status = z.enum(COMMENT_STATUSES);

const comment = z
  .strictObject({
    id: z.string(),
    parentId: z.string().nullable(),
    status,
    name: z.string().openapi({ description: 'Empty once the comment is deleted or erased.' }),
    body: z.string().openapi({ description: 'The text as written; empty once deleted or erased.' }),
    html: z.string().openapi({ description: 'The text as escaped HTML, as the widget shows it.' }),
    avatar: z.strictObject({ initials: z.string(), color: z.string() }),
    createdAt: isoDate,
    email: z.string().optional().openapi({ description: 'Only for endpoints with include_personal_data.' }),
    ip: z.string().nullable().optional().openapi({ description: 'Only for endpoints with include_personal_data.' }),
    userAgent: z
      .string()
      .nullable()
      .optional()
      .openapi({ description: 'Only for endpoints with include_personal_data.' }),
  })
  .openapi('WebhookComment');

const reason = z
  .strictObject({
    action: z.enum(['approve', 'hold', 'reject', 'spam']),
    code: z.string().openapi({ description: 'The filter\'s reason, e.g. "first_comment".' }),
    detail: z.string(),
    fields: z.array(z.string()).optional().openapi({ description: 'Redacted reasons: the fields that matched.' }),
    data: z.record(z.string(), z.unknown()).optional().openapi({
      description:
        'Endpoints with include_personal_data get what the filter recorded; the others only its numbers and flags.',
    }),
  })
  .openapi('WebhookReason');

function commentEvent(type: EventType) {
  return z.strictObject({
    type: z.literal(type),
    timestamp: isoDate,
    data: z.strictObject({
      comment,
      from: status.nullable().openapi({ description: 'The status before; null for comment.created.' }),
      to: status,
      article: z.strictObject({ id: z.string(), url: z.string().nullable(), title: z.string().nullable() }),
      site: z.strictObject({ id: z.string() }),
      actor: z.strictObject({
        type: z.string().openapi({ description: 'Who made the change: filter, user, system or cli.' }),
        id: z.string(),
      }),
      reasons: z.array(reason),
      sequence: z.number().int().min(1).openapi({
        description: "1, 2, 3… per comment in the order its events happened: order a comment's events by it.",
      }),
      ...(type === 'comment.reported' || type === 'report.resolved' ? { report: reportSummary } : {}),
    }),
  });
}

// What reader-report events add (src/reports/report-events.ts): never who reported.
const reportSummary = z.record(z.string(), z.unknown()).openapi({
  description:
    'The reports: score, reasons with their weights, `hidden` (comment.reported) or `outcome` upheld/dismissed ' +
    '(report.resolved). Nothing of who reported.',
});

const importCompleted = z.strictObject({
  type: z.literal('import.completed'),
  timestamp: isoDate,
  data: z.strictObject({
    site: z.strictObject({ id: z.string() }),
    format: z.string(),
    articles: z.strictObject({ created: z.number().int(), existing: z.number().int() }),
    comments: z.strictObject({
      imported: z.number().int(),
      existing: z.number().int(),
      byStatus: z.record(z.string(), z.number().int()),
    }),
    skipped: z.record(z.string(), z.number().int()),
    orphans: z.number().int(),
  }),
});

// An article's controls (src/articles/article.service.ts): the article as it is now and as it was.
const articleState = {
  closed: z
    .boolean()
    .openapi({ description: "Closed to new comments (by hand or by the site's close-after-days rule)." }),
  moderation: z.enum(MODERATION_MODES).nullable().openapi({
    description: "The article's own moderation mode; null: it follows the site's.",
  }),
};

function articleEvent(type: 'article.closed' | 'article.opened' | 'article.updated') {
  return z.strictObject({
    type: z.literal(type),
    timestamp: isoDate,
    data: z.strictObject({
      article: z.strictObject({
        id: z.string(),
        url: z.string().nullable(),
        title: z.string().nullable(),
        ...articleState,
        effectiveModeration: z.enum(MODERATION_MODES).openapi({
          description: "The mode its new comments get: its own, else the site's.",
        }),
      }),
      previous: z.strictObject(articleState).openapi({ description: 'The same fields before the change.' }),
      site: z.strictObject({ id: z.string() }),
      actor: z.strictObject({
        type: z.string().openapi({ description: 'Who made the change: user or cli.' }),
        id: z.string(),
      }),
    }),
  });
}

/** The Standard Webhooks headers (https://www.standardwebhooks.com/) every delivery carries. */
const headers = z.object({
  'webhook-id': z.string().openapi({
    description: "The event's id (a UUIDv7, so time-ordered); the same on every retry and redelivery.",
  }),
  'webhook-timestamp': z.string().openapi({ description: 'Unix seconds when this attempt was signed.' }),
  'webhook-signature': z.string().openapi({
    description: 'v1,<base64 HMAC-SHA256 of "id.timestamp.body">; during a secret rotation two, separated by a space.',
  }),
});

function payloadSchemaOf(type: EventType) {
  if (type === 'import.completed') return importCompleted;
  if (type === 'article.closed' || type === 'article.opened' || type === 'article.updated') return articleEvent(type);
  return commentEvent(type);
}

export function registerWebhooks(registry: OpenAPIHono['openAPIRegistry']): void {
  for (const type of EVENT_TYPES) {
    registry.registerWebhook({
      method: 'post',
      path: type,
      tags: ['Webhooks'],
      summary: `The ${type} event, posted to each endpoint subscribed to it`,
      description:
        'Answer 2xx to acknowledge. Other answers and timeouts are retried with backoff; 410 disables the endpoint.',
      request: {
        headers,
        body: { content: { 'application/json': { schema: payloadSchemaOf(type) } }, required: true },
      },
      responses: { 200: { description: 'Any 2xx acknowledges the delivery' } },
    });
  }
}
