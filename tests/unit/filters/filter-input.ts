// Builds a FilterInput with the site's default settings; each test overrides what it is about.
import type { FilterInput } from '../../../src/filters/filter.ts';
import { siteSettingsSchema } from '../../../src/sites/site-settings.ts';

export const NOW = Date.parse('2026-11-26T12:00:00Z');

export function filterInput(
  o: {
    comment?: Partial<FilterInput['comment']>;
    request?: Partial<FilterInput['request']>;
    author?: Partial<FilterInput['author']>;
    settings?: Record<string, unknown>;
  } = {},
): FilterInput {
  return {
    comment: {
      name: 'Ada',
      email: 'ada@example.com',
      body: 'A thoughtful comment.',
      website: null,
      renderedAt: null,
      parentId: null,
      ...o.comment,
    },
    request: { ip: '203.0.113.7', userAgent: 'Mozilla/5.0 (X11; Linux x86_64)', ...o.request },
    author: { approved: 0, pending: 0, rejected: 0, spam: 0, ...o.author },
    settings: siteSettingsSchema.parse({ moderation: 'none', ...o.settings }),
    now: NOW,
  };
}
