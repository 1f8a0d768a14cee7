// The site's moderation mode decides whether a comment that passed every filter is published.

import type { Verdict } from '../domain/verdict.ts';
import type { ModerationMode } from '../sites/site-settings.ts';

export function trustVerdict(mode: ModerationMode, authorHasApproved: boolean): Verdict | null {
  if (mode === 'all')
    return { action: 'hold', code: 'moderation_all', detail: 'This site holds every comment for review.' };
  if (mode === 'first' && !authorHasApproved) {
    return { action: 'hold', code: 'first_comment', detail: 'The author has no approved comment on this site yet.' };
  }
  return null;
}
