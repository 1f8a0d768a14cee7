// Links in mail are absolute (a mail client has no base URL) and only ever http(s).

/**
 * `base` is the service's public origin (PUBLIC_URL, or http://localhost:PORT in the embedded mode);
 * `path` is ours; `params` are encoded by URLSearchParams, so a token or id cannot break the URL.
 */
export function absoluteUrl(base: string, path: string, params: Record<string, string> = {}): string {
  const url = new URL(path, base.endsWith('/') ? base : `${base}/`);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`mail links must be http(s): ${base}`);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return url.href;
}

/** Throws on anything but an absolute http(s) URL: every link in a template goes through here. */
export function checkLink(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`mail link is not an absolute URL: ${value.slice(0, 80)}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new Error(`mail link must be http(s): ${url.protocol}`);
  return url.href;
}

// Inside List-Unsubscribe a URI sits in angle brackets and URIs are separated by commas (RFC 2369):
// whitespace, brackets and commas in it are percent-encoded (WHATWG serialisation leaves some alone).
const bracketSafe = (uri: string): string => uri.replace(/[\s<>,]/g, (c) => encodeURIComponent(c));

export interface ListUnsubscribe {
  /** The one-click endpoint: a POST with body `List-Unsubscribe=One-Click` unsubscribes (RFC 8058). */
  url: string;
  /** Optional mailto: alternative for clients that only do RFC 2369. */
  mailto?: string | null;
}

/**
 * RFC 8058 one-click unsubscribe: `List-Unsubscribe` with the HTTP(S) URI (and an optional mailto:),
 * plus `List-Unsubscribe-Post: List-Unsubscribe=One-Click`, which tells mail providers a POST to the
 * URI unsubscribes without any further page. RFC 8058 wants HTTPS; http is accepted for the embedded
 * mode on localhost, whose mail never leaves the database.
 */
export function listUnsubscribeHeaders(o: ListUnsubscribe): {
  'List-Unsubscribe': string;
  'List-Unsubscribe-Post': string;
} {
  const uris = [`<${bracketSafe(checkLink(o.url))}>`];
  if (o.mailto) {
    const mailto = new URL(o.mailto);
    if (mailto.protocol !== 'mailto:') throw new Error('the List-Unsubscribe alternative must be a mailto: URI');
    uris.push(`<${bracketSafe(mailto.href)}>`);
  }
  return { 'List-Unsubscribe': uris.join(', '), 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' };
}

/** "Manage my comments" on a site: where a reader asks for a signed link to their own comments. */
export function manageCommentsUrl(base: string, siteId: string): string {
  return absoluteUrl(base, '/mail/manage', { site: siteId });
}

/**
 * Said loudly at start when mail goes out over SMTP but PUBLIC_URL is unset: every link in it
 * (confirmations, unsubscribes, moderators' alerts) would point to this machine's localhost, which no
 * reader can open. Kept mail (the embedded default) is read on this machine, so its links may.
 */
export function mailLinkWarning(o: { smtpUrl: string | null; publicUrl: string | null; port: number }): string | null {
  if (!o.smtpUrl || o.publicUrl) return null;
  return (
    `PUBLIC_URL is not set while SMTP_URL is: links in the mail sent (subscription confirmations, ` +
    `unsubscribe links, moderator alerts) would point to http://localhost:${o.port}, which no reader can open. ` +
    'Set PUBLIC_URL to the address readers reach this service at, e.g. PUBLIC_URL=https://comments.example.com.'
  );
}
