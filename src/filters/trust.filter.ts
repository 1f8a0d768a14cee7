// The moderation mode (the article's own, else the site's): hold everything, hold an author's comments
// until one is approved (WordPress's default), or publish what passes the other filters.
import type { ModerationMode } from '../domain/moderation-mode.ts';
import type { Verdict } from '../domain/verdict.ts';
import type { Filter } from './filter.ts';

function trustVerdict(
  mode: ModerationMode,
  byArticle: boolean,
  authorHasApproved: boolean,
  unverified: boolean,
): Verdict | null {
  if (mode === 'all')
    return {
      action: 'hold',
      code: 'moderation_all',
      detail: byArticle
        ? 'This article holds every comment for review (its own setting).'
        : 'This site holds every comment for review.',
    };
  if (mode === 'first' && !authorHasApproved) {
    return {
      action: 'hold',
      code: 'first_comment',
      detail: 'The author has no approved comment under this name and email on this site yet.',
    };
  }
  if (mode === 'first' && unverified) {
    return {
      action: 'hold',
      code: 'unverified_author',
      detail: "The site trusts returning authors only once their address is verified, and this one's is not.",
    };
  }
  return null;
}

export const trustFilter: Filter = {
  name: 'trust',
  run({ settings, author, articleModeration }) {
    return trustVerdict(
      articleModeration ?? settings.moderation,
      Boolean(articleModeration),
      (author.approvedUnderName ?? 0) > 0,
      settings.requireVerifiedForTrust === true && author.verified !== true,
    );
  },
};
