// The public face of a comment: escaped HTML, an avatar that reveals nothing, never email/IP/user agent.
import type { PublicComment } from './comment.schemas.ts';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => ESCAPES[ch]!);
}

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"']+/gi;
/** Punctuation that ends a sentence rather than a URL ("see https://x.example."). */
const TRAILING_PUNCTUATION = new Set('.,;:!?)]}');

/**
 * The URL without trailing punctuation. A loop from the end, not /[.,;:!?)\]}]+$/: that expression
 * retries from every punctuation mark in a long run that does not reach the end, so a link followed
 * by thousands of "." and one letter took quadratic time.
 */
function trimTrailingPunctuation(url: string): string {
  let end = url.length;
  while (end > 0 && TRAILING_PUNCTUATION.has(url[end - 1]!)) end--;
  return url.slice(0, end);
}

function linkify(line: string): string {
  let out = '';
  let last = 0;
  for (const match of line.matchAll(URL_PATTERN)) {
    const url = trimTrailingPunctuation(match[0]);
    const start = match.index;
    out += escapeHtml(line.slice(last, start));
    out += `<a href="${escapeHtml(url)}" rel="nofollow ugc noopener" target="_blank">${escapeHtml(url)}</a>`;
    last = start + url.length;
  }
  return out + escapeHtml(line.slice(last));
}

/**
 * The last body rendered and its HTML: a new comment is rendered for its answer and again for each of
 * its events, one after the other; a string in, a string out, so handing out the same one is safe.
 */
let lastBody: string | null = null;
let lastHtml = '';

/** Paragraphs on blank lines, <br> on single line breaks, http(s) links made clickable; everything else escaped. */
export function renderBodyHtml(body: string): string {
  if (body === lastBody) return lastHtml;
  const html = body
    .split(/\n{2,}/)
    .map((para) => `<p>${para.split('\n').map(linkify).join('<br>')}</p>`)
    .join('');
  lastBody = body;
  lastHtml = html;
  return html;
}

export function avatarFor(name: string, emailHash: string): { initials: string; color: string } {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.slice(0, 2).map((w) => [...w][0] ?? '');
  const initials = letters.join('').toLocaleUpperCase() || '?';
  // emailHash is already keyed with the server secret: a few of its bits reveal nothing.
  const hue = parseInt(emailHash.slice(0, 4), 16) % 360;
  return { initials, color: `hsl(${hue} 55% 42%)` };
}

export interface PublicSource {
  id: string;
  parentId: string | null;
  name: string;
  emailHash: string;
  body: string;
  createdAt: Date;
  deleted: boolean;
}

/** A deleted comment's avatar: nothing of its author. */
export const DELETED_AVATAR = { initials: '', color: 'hsl(0 0% 60%)' } as const;

export function toPublicComment(c: PublicSource): PublicComment {
  if (c.deleted) {
    return {
      id: c.id,
      parentId: c.parentId,
      name: '',
      avatar: { ...DELETED_AVATAR },
      html: '',
      createdAt: c.createdAt.toISOString(),
      deleted: true,
      replies: [],
    };
  }
  return {
    id: c.id,
    parentId: c.parentId,
    name: c.name,
    avatar: avatarFor(c.name, c.emailHash),
    html: renderBodyHtml(c.body),
    createdAt: c.createdAt.toISOString(),
    replies: [],
  };
}
