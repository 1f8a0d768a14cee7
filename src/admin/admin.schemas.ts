// Shapes of the admin API (sites, accounts, tokens, webhook endpoints, audit log) for validation and OpenAPI.
import { z } from '@hono/zod-openapi';
import { EVENT_TYPES } from '../domain/event-types.ts';
import { isoDate } from '../http/openapi-common.ts';

export const siteSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    settings: z.record(z.string(), z.unknown()),
    createdAt: isoDate,
    updatedAt: isoDate,
    version: z.number().int().openapi({
      description: 'Counts the saves; send it back (If-Match or expectedVersion) to save only over what you saw.',
    }),
  })
  .openapi('Site');
export const siteCreateSchema = z
  .object({
    id: z.string().max(63),
    name: z.string().max(200),
    settings: z
      .record(z.string(), z.unknown())
      .optional()
      .openapi({ description: 'Any site setting; defaults fill the rest.' }),
  })
  .openapi('SiteCreate');
export const sitePatchSchema = z
  .object({
    name: z.string().max(200).optional(),
    settings: z.record(z.string(), z.unknown()).optional().openapi({ description: 'Only the settings to change.' }),
    expectedVersion: z.number().int().min(1).optional().openapi({
      description:
        "The site's version this change was made from (as If-Match does): 409 `site_changed` when it was saved since.",
    }),
  })
  .openapi('SitePatch');

export const userSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    role: z.enum(['admin', 'moderator']),
    siteIds: z.array(z.string()),
    disabled: z.boolean(),
    createdAt: isoDate,
  })
  .openapi('User');
export const userCreateSchema = z
  .object({
    email: z.string().max(254),
    role: z.enum(['admin', 'moderator']),
    password: z.string().max(1024),
    siteIds: z.array(z.string().max(63)).max(1000).optional(),
  })
  .openapi('UserCreate');
export const userPatchSchema = z
  .object({
    role: z.enum(['admin', 'moderator']).optional(),
    siteIds: z.array(z.string().max(63)).max(1000).optional(),
    disabled: z.boolean().optional(),
  })
  .openapi('UserPatch');

export const tokenSchema = z
  .object({
    id: z.string(),
    userId: z.string(),
    name: z.string(),
    prefix: z.string(),
    createdAt: isoDate,
    lastUsedAt: isoDate.nullable(),
    revokedAt: isoDate.nullable(),
  })
  .openapi('ApiToken');

export const endpointSchema = z
  .object({
    id: z.string(),
    siteId: z.string(),
    url: z.string(),
    description: z.string().nullable(),
    events: z.array(z.string()),
    enabled: z.boolean(),
    disabledReason: z.string().nullable(),
    includePersonalData: z.boolean(),
    failingSince: isoDate.nullable(),
    previousSecretExpiresAt: isoDate.nullable(),
    createdAt: isoDate,
  })
  .openapi('WebhookEndpoint');
const events = z.array(z.enum(EVENT_TYPES)).openapi({ description: 'Event types to send; empty for all.' });
export const endpointCreateSchema = z
  .object({
    url: z.string().max(2048),
    events: events.optional(),
    includePersonalData: z.boolean().optional(),
    description: z.string().max(500).nullable().optional(),
  })
  .openapi('WebhookEndpointCreate');
export const endpointPatchSchema = z
  .object({
    url: z.string().max(2048).optional(),
    events: events.optional(),
    enabled: z.boolean().optional(),
    includePersonalData: z.boolean().optional(),
    description: z.string().max(500).nullable().optional(),
  })
  .openapi('WebhookEndpointPatch');

export const deliverySchema = z
  .object({
    id: z.string(),
    eventId: z.string(),
    eventType: z.string(),
    status: z.enum(['pending', 'succeeded', 'failed']),
    attempts: z.number(),
    lastStatusCode: z.number().nullable(),
    lastError: z.string().nullable(),
    nextAttemptAt: isoDate.nullable(),
    createdAt: isoDate,
    log: z.array(
      z.object({
        at: isoDate,
        durationMs: z.number(),
        statusCode: z.number().nullable(),
        succeeded: z.boolean(),
        error: z.string().nullable(),
        response: z.string().nullable(),
      }),
    ),
  })
  .openapi('WebhookDelivery');

export const auditEntrySchema = z
  .object({
    id: z.string(),
    actorType: z.string(),
    actorId: z.string(),
    actorEmail: z.string().nullable(),
    action: z.string(),
    siteId: z.string().nullable(),
    targetType: z.string(),
    targetId: z.string(),
    details: z.record(z.string(), z.unknown()),
    createdAt: isoDate,
  })
  .openapi('AuditEntry');
