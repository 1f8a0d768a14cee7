// Imported text is cleaned, not refused: a 15-year-old export full of stray control characters
// must still come in. We keep what readers wrote and drop only what our text rules forbid
// (src/shared/text.ts): NUL and other control characters, lone surrogates.
import { isIP } from 'node:net';
import type { ImportedComment } from './import.types.ts';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// C0 and C1 controls and DEL, except tab and newline.
const CONTROL_MULTILINE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;
const CONTROL_OR_SPACE_RUN = /[\s\u0000-\u001F\u007F-\u009F]+/g;

/** Body text: line breaks normalised to \n, controls dropped, lone surrogates replaced. */
export function cleanMultiline(value: string): string {
  return value.replace(/\r\n?/g, '\n').replace(CONTROL_MULTILINE, '').replace(LONE_SURROGATE, '\uFFFD');
}

/** One-line fields (names, titles, ids): whitespace and controls collapse to one space, trimmed. */
export function cleanLine(value: string | null | undefined): string {
  if (!value) return '';
  return value.replace(LONE_SURROGATE, '\uFFFD').replace(CONTROL_OR_SPACE_RUN, ' ').trim();
}

export function cleanOptional(value: string | null | undefined): string | null {
  return cleanLine(value) || null;
}

export function cleanEmail(value: string | null | undefined): string | null {
  const email = cleanLine(value);
  return email.includes('@') && !email.includes(' ') ? email : null;
}

/** A real IP address or nothing: Remark42 exports keyed hashes in the ip field. */
export function cleanIp(value: string | null | undefined): string | null {
  const ip = cleanLine(value);
  return ip && isIP(ip) ? ip : null;
}

/** Only http(s) websites: anything else (javascript:, data:) could become a dangerous link. */
export function cleanWebsite(value: string | null | undefined): string | null {
  const url = cleanLine(value);
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? url : null;
  } catch {
    return null;
  }
}

/**
 * A deleted comment is kept only as a placeholder that holds its replies' place: the person
 * removed it, so its text and personal data are never imported.
 */
export function asPlaceholder(comment: ImportedComment): ImportedComment {
  return { ...comment, name: '', email: null, url: null, ip: null, userAgent: null, authorKey: null, body: '' };
}
