// Which URL and title an article keeps. The URL is the link moderators click and webhooks carry, so
// it comes only from the site's allowed origins; and since the first comment creates the article,
// later comments may fill in or correct it, by these rules only:
//   - a comment's URL counts only when it is http(s), on one of the site's allowed origins, without
//     user:password (its #fragment is dropped); a title counts only with such a URL;
//   - a new article takes the comment's URL and title when they count (else it has none);
//   - a later comment sets both when the article has no URL, or one no longer on an allowed origin
//     (the site moved, or it was stored before this rule); it fills in a missing title when its URL
//     is the article's own;
//   - nothing else changes them, and once an admin has edited the article, comments never do.
// A URL off the allowed origins is ignored, not refused: a reader's comment must not be lost because
// the page was a preview, a translation proxy or a cached copy.

const MAX_URL_LENGTH = 2048;

/** The URL as an article would store it, or null when it does not count. */
export function acceptedArticleUrl(url: string | null | undefined, origins: readonly string[]): string | null {
  if (!url || url.length > MAX_URL_LENGTH) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
  if (parsed.username || parsed.password) return null;
  if (!origins.includes(parsed.origin)) return null;
  parsed.hash = '';
  return parsed.toString();
}

export interface StoredArticle {
  url: string | null;
  title: string | null;
  edited_at: Date | null;
}

/** What a comment's (already accepted) URL and title change on an existing article; null for nothing. */
export function articleCorrection(
  stored: StoredArticle,
  incoming: { url: string | null; title: string | null },
  origins: readonly string[],
): { url?: string; title?: string } | null {
  if (stored.edited_at || !incoming.url) return null;
  const storedCounts = acceptedArticleUrl(stored.url, origins) !== null;
  if (!storedCounts) return { url: incoming.url, ...(incoming.title ? { title: incoming.title } : {}) };
  if (!stored.title && incoming.title && incoming.url === stored.url) return { title: incoming.title };
  return null;
}
