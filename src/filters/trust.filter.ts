// The site's moderation mode: hold everything, hold an author's comments until one is approved
// (WordPress's default), or publish what passes the other filters.
import type { ModerationMode } from '../domain/moderation-mode.ts';
import type { Verdict } from '../domain/verdict.ts';
import type { Filter } from './filter.ts';

function trustVerdict(mode: ModerationMode, authorHasApproved: boolean): Verdict | null {
  if (mode === 'all')
    return { action: 'hold', code: 'moderation_all', detail: 'This site holds every comment for review.' };
  if (mode === 'first' && !authorHasApproved) {
    return { action: 'hold', code: 'first_comment', detail: 'The author has no approved comment on this site yet.' };
  }
  return null;
}

export const trustFilter: Filter = {
  name: 'trust',
  run({ settings, author }) {
    return trustVerdict(settings.moderation, author.approved > 0);
  },
};
