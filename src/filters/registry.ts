// Every filter a comment goes through. Adding a filter: write its file, add it here.

import { blockedDomainFilter } from './blocked-domain.filter.ts';
import { blockedEmailFilter } from './blocked-email.filter.ts';
import { blockedIpFilter } from './blocked-ip.filter.ts';
import { blockedWordsFilter } from './blocked-words.filter.ts';
import type { Filter, FilterSettings } from './filter.ts';
import { holdWordsFilter } from './hold-words.filter.ts';
import { honeypotFilter } from './honeypot.filter.ts';
import { learnedSpamFilter } from './learned-spam.filter.ts';
import { linkCountFilter } from './link-count.filter.ts';
import { profanityFilter } from './profanity.filter.ts';
import { repeatedCharsFilter } from './repeated-chars.filter.ts';
import { shoutingFilter } from './shouting.filter.ts';
import { timeTrapFilter } from './time-trap.filter.ts';
import { trustFilter } from './trust.filter.ts';

export const FILTERS: readonly Filter[] = [
  honeypotFilter,
  timeTrapFilter,
  blockedEmailFilter,
  blockedDomainFilter,
  blockedIpFilter,
  blockedWordsFilter,
  holdWordsFilter,
  profanityFilter,
  linkCountFilter,
  shoutingFilter,
  repeatedCharsFilter,
  learnedSpamFilter,
  trustFilter,
];

/**
 * Compiles every filter's lists for a site's settings now (when they are saved or loaded), not on the
 * first comment. Compiled lists are cached by content, so settings loaded again unchanged cost a lookup.
 */
export function prepareFilters(settings: FilterSettings, filters: readonly Filter[] = FILTERS): void {
  for (const filter of filters) filter.prepare?.(settings);
}
