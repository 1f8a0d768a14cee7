// Per-site settings: one validated schema with defaults. Stored as JSON on the site row, so later
// settings add a field here instead of a migration.
import { z } from 'zod';
import { MODERATION_MODES } from '../domain/moderation-mode.ts';
import { checkFilterSettings, filterSettingsShape } from './filter-settings.ts';

/** Normalises "https://Example.com/path" to its origin "https://example.com"; rejects non-http(s). */
const originSchema = z.string().transform((value, ctx) => {
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('protocol');
    return url.origin;
  } catch {
    ctx.addIssue({
      code: 'custom',
      message: `"${value.slice(0, 100)}" is not an http(s) origin such as https://example.com`,
    });
    return z.NEVER;
  }
});

export const siteSettingsSchema = z
  .object({
    /** Origins allowed to embed the widget and post comments from a browser. */
    origins: z.array(originSchema).max(50).default([]),
    /** all: hold every comment; first: hold until the author has an approved comment; none: publish. */
    moderation: z.enum(MODERATION_MODES).default('first'),
    /**
     * In `first` mode, trust an author only once their address is verified (confirmed through a mailed
     * link): otherwise anyone who knows a regular's address could post as them unmoderated.
     */
    requireVerifiedForTrust: z.boolean().default(false),
    /** How deep replies nest on the public thread; deeper replies show at the last level. */
    maxDepth: z.number().int().min(1).max(10).default(5),
    /** Close an article to new comments this many days after its first comment (null: never). */
    closeAfterDays: z.number().int().min(1).max(3650).nullable().default(null),
    /** Tell submitters that their comment was rejected (422) instead of answering "pending". */
    revealRejections: z.boolean().default(false),
    /** Spam is deleted for good this many days after it was marked. */
    spamRetentionDays: z.number().int().min(1).max(3650).default(30),
    /**
     * Lifecycle events (and their webhook deliveries and attempts) are deleted this many days after
     * they were handed to the queue: they copy the comment's name and text.
     */
    eventRetentionDays: z.number().int().min(1).max(3650).default(30),
    /** Reader reports: a comment enters the Reported queue when its reports' weights reach this sum. */
    reportQueueThreshold: z.number().min(0.1).max(100).default(1),
    /** ... and is hidden from the thread, pending review, at this sum (null: never hidden by reports). */
    reportHideThreshold: z.number().min(0.1).max(100).nullable().default(2.5),
    /**
     * Reply and thread notices: a recipient gets at most this many single mails from the site in 24
     * hours; the notices beyond it are collected into one digest mail.
     */
    notifyDailyCap: z.number().int().min(1).max(1000).default(10),
    /** When those digests go out: after each full hour, or after each day (UTC) the notices were collected in. */
    notifyDigest: z.enum(['hourly', 'daily']).default('hourly'),
    /** Filters: see src/sites/filter-settings.ts. */
    ...filterSettingsShape,
  })
  .superRefine(checkFilterSettings);

export type SiteSettings = z.infer<typeof siteSettingsSchema>;

export const siteIdSchema = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9_-]{0,62}$/,
    'must be 1-63 lower-case letters, digits, "-" or "_", starting with a letter or digit',
  );

export function parseSiteSettings(stored: unknown): SiteSettings {
  // Stored settings were validated on write; parsing again fills defaults added since.
  return siteSettingsSchema.parse(stored ?? {});
}
