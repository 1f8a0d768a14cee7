// Whether an article still takes comments: closed by hand, or automatically some days after its first
// comment unless a moderator reopened it (their decision outlasts the rule).
import type { ArticleRow } from '../db/schema.ts';

export function isArticleClosed(
  article: Pick<ArticleRow, 'closed_at' | 'first_comment_at'> & Partial<Pick<ArticleRow, 'reopened_at'>>,
  site: { settings: { closeAfterDays: number | null } },
  now: Date,
): boolean {
  if (article.closed_at) return true;
  if (article.reopened_at) return false;
  const days = site.settings.closeAfterDays;
  if (days && article.first_comment_at) return now.getTime() - article.first_comment_at.getTime() > days * 86_400_000;
  return false;
}
