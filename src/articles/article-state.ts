// Whether an article still takes comments: closed by hand, or automatically some days after its first comment.
import type { ArticleRow } from '../db/schema.ts';

export function isArticleClosed(
  article: Pick<ArticleRow, 'closed_at' | 'first_comment_at'>,
  site: { settings: { closeAfterDays: number | null } },
  now: Date,
): boolean {
  if (article.closed_at) return true;
  const days = site.settings.closeAfterDays;
  if (days && article.first_comment_at) return now.getTime() - article.first_comment_at.getTime() > days * 86_400_000;
  return false;
}
