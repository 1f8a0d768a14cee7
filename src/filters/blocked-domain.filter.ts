// Banned email domains: "example.com" covers addresses at example.com and at its subdomains.

import { compileCache } from './compile-cache.ts';
import type { Filter } from './filter.ts';

const domainsOf = compileCache(
  (s) => s.blockedDomains,
  (s) => new Set(s.blockedDomains.map((d) => d.toLowerCase())),
);

/** The listed domain the email belongs to, or null: checks mail.spam.example, spam.example, example. */
function blockedDomainOf(email: string, blocked: ReadonlySet<string>): string | null {
  const at = email.lastIndexOf('@');
  if (at === -1) return null;
  let domain = email
    .slice(at + 1)
    .trim()
    .toLowerCase()
    .replace(/\.$/, '');
  while (domain !== '') {
    if (blocked.has(domain)) return domain;
    const dot = domain.indexOf('.');
    if (dot === -1) break;
    domain = domain.slice(dot + 1);
  }
  return null;
}

export const blockedDomainFilter: Filter = {
  name: 'blocked-domain',
  prepare: (settings) => void domainsOf(settings),
  run({ comment, settings }) {
    if (settings.blockedDomains.length === 0) return null;
    const domain = blockedDomainOf(comment.email, domainsOf(settings));
    if (domain === null) return null;
    return {
      action: 'reject',
      code: 'blocked_domain',
      detail: `The email domain ${domain} is on the site's block list.`,
      data: { domain },
    };
  },
};
