// Banned authors, by email address (compared without letter case).

import { compileCache } from './compile-cache.ts';
import type { Filter } from './filter.ts';

const emailsOf = compileCache(
  (s) => s.blockedEmails,
  (s) => new Set(s.blockedEmails.map((e) => e.toLowerCase())),
);

export const blockedEmailFilter: Filter = {
  name: 'blocked-email',
  prepare: (settings) => void emailsOf(settings),
  run({ comment, settings }) {
    if (settings.blockedEmails.length === 0) return null;
    const email = comment.email.trim().toLowerCase();
    if (!emailsOf(settings).has(email)) return null;
    return {
      action: 'reject',
      code: 'blocked_email',
      detail: "The email address is on the site's block list.",
      data: { email },
    };
  },
};
