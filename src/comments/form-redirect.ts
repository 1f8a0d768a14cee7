// Where a comment form sent without JavaScript takes the reader afterwards: back to the article, to
// their comment (approved) or to the form (pending). Never an open redirect: only pages on the site's
// own origins, or on this service itself (the demo article), which is named by path alone. Without
// PUBLIC_URL this service's origin is read from the Host header, which the client writes; a relative
// redirect lands on the host the browser really used, so a forged Host cannot send a reader elsewhere.

/**
 * The first candidate on one of the site's origins (kept whole), or on `selfOrigin` (its path, query
 * and fragment only); null when none is.
 */
export function articleReturnUrl(
  candidates: (string | null | undefined)[],
  siteOrigins: string[],
  selfOrigin: string | null,
): string | null {
  for (const candidate of candidates) {
    if (!candidate) continue;
    let url: URL;
    try {
      url = new URL(candidate);
    } catch {
      continue; // not a URL: try the next one
    }
    if (siteOrigins.includes(url.origin)) return candidate;
    if (selfOrigin !== null && url.origin === selfOrigin) return ownPath(url);
  }
  return null;
}

/** "/a?b#c" of a URL; "//evil.example/x" as a path would be another host to a browser, so one slash. */
function ownPath(url: URL): string {
  return `/${url.pathname.replace(/^\/+/, '')}${url.search}${url.hash}`;
}

/** The Location after a form submission: the return URL with the comment's id, status and anchor. */
export function formRedirectLocation(returnUrl: string, comment: { id: string; status: string }): string {
  const relative = returnUrl.startsWith('/');
  // The base only completes a relative URL for parsing; it never reaches the answer.
  const url = new URL(returnUrl, 'http://relative.invalid');
  url.searchParams.set('comment', comment.id);
  url.searchParams.set('status', comment.status);
  url.hash = comment.status === 'approved' ? `comment-${comment.id}` : 'respond';
  return relative ? ownPath(url) : url.toString();
}
