// What readers send to report a comment, and what moderators read, as zod schemas (validation and OpenAPI).
import { z } from '@hono/zod-openapi';
import { emptyToUndefined, text } from '../comments/comment.schemas.ts';
import { moderatedCommentSchema } from '../review/review.schemas.ts';

export const REPORT_REASONS = ['spam', 'abuse', 'off_topic', 'other', 'illegal'] as const;
export type ReportReason = (typeof REPORT_REASONS)[number];

const DSA_FIELDS = ['law', 'explanation', 'reporterName', 'reporterEmail', 'goodFaith'] as const;

/** A form's checkbox sends "on" (or "true"); JSON sends true. */
const checkbox = (v: unknown) => (v === 'on' || v === 'true' ? true : emptyToUndefined(v));

export const reportInputSchema = z
  .object({
    reason: z.enum(REPORT_REASONS),
    detail: z.preprocess(emptyToUndefined, text({ max: 1000, multiline: true }).optional()),
    reporterToken: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .regex(/^[\x21-\x7e]{16,128}$/, 'must be 16-128 visible ASCII characters')
        .optional()
        .openapi({ description: 'A random token the widget keeps: one report per token and comment.' }),
    ),
    // EU Digital Services Act, Art. 16(2): required when the reason is "illegal".
    law: z.preprocess(emptyToUndefined, text({ min: 1, max: 300 }).optional()),
    explanation: z.preprocess(emptyToUndefined, text({ min: 1, max: 5000, multiline: true }).optional()),
    reporterName: z.preprocess(emptyToUndefined, text({ min: 1, max: 100 }).optional()),
    reporterEmail: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .trim()
        .max(254, 'must be at most 254 characters')
        .pipe(z.email('must be a valid email address'))
        .optional(),
    ),
    goodFaith: z.preprocess(checkbox, z.literal(true, 'must be true: you confirm the notice is accurate').optional()),
  })
  .superRefine((v, ctx) => {
    if (v.reason !== 'illegal') return;
    for (const field of DSA_FIELDS) {
      if (v[field] === undefined)
        ctx.addIssue({ code: 'custom', path: [field], message: 'is required for an illegal-content notice' });
    }
  })
  .openapi('ReportInput');

export type ReportInput = z.output<typeof reportInputSchema>;

const noticeSchema = z
  .object({
    law: z.string(),
    explanation: z.string(),
    reporterName: z.string(),
    reporterEmail: z.string(),
    goodFaith: z.literal(true),
  })
  .openapi('IllegalContentNotice');

const reportSchema = z
  .object({
    id: z.string(),
    reason: z.enum(REPORT_REASONS),
    detail: z.string().nullable(),
    weight: z.number(),
    outcome: z.enum(['open', 'upheld', 'dismissed']),
    createdAt: z.string(),
    notice: noticeSchema.nullable().openapi({ description: "The notifier's DSA fields (illegal only)." }),
  })
  .openapi('Report');

export const reportedCommentSchema = z
  .object({
    comment: moderatedCommentSchema,
    score: z.number().openapi({ description: 'Weighted score of the open reports (see the README).' }),
    firstReportedAt: z.string(),
    reasons: z.array(z.object({ reason: z.enum(REPORT_REASONS), count: z.number(), weight: z.number() })),
    reports: z.array(reportSchema),
  })
  .openapi('ReportedComment');

export const reportQueueSchema = z.object({ comments: z.array(reportedCommentSchema) }).openapi('ReportedQueue');

export const upholdBodySchema = z.object({
  action: z.enum(['reject', 'spam']),
  reason: z.string().max(1000).optional().openapi({ description: 'Why, for the moderation log.' }),
});

export const dismissBodySchema = z.object({
  reason: z.string().max(1000).optional().openapi({ description: 'Why, for the moderation log.' }),
});

const outcomeCounts = {
  open: z.number().int(),
  upheld: z.number().int().openapi({ description: 'Decided: the comment was rejected or marked spam.' }),
  dismissed: z.number().int().openapi({ description: 'Decided: the comment stayed or was published again.' }),
};

export const transparencySchema = z
  .object({
    siteId: z.string(),
    total: z.number().int().openapi({ description: 'Every report filed on the site.' }),
    byOutcome: z.object(outcomeCounts),
    byReason: z.array(z.object({ reason: z.enum(REPORT_REASONS), total: z.number().int(), ...outcomeCounts })),
    decisions: z
      .number()
      .int()
      .openapi({ description: "Moderators' decisions: each closes a comment's open reports at once." }),
    medianSecondsToDecision: z.number().nullable().openapi({
      description: "Median time from a comment's first report to the decision on it; null before any decision.",
    }),
  })
  .openapi('ReportTransparency');
