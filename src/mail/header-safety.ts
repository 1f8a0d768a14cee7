// What may reach a mail header. Names and subjects come from readers (a commenter's name is in the
// subject of a reply notification), so they are cleaned rather than refused: a mail must still go out.
// Addresses are refused instead: a recipient that is not exactly one plain address is a bug or an attack.
// nodemailer then RFC 2047-encodes non-ASCII text and quotes display names; this module makes sure
// nothing it is handed can end a header line or add a recipient.
import { z } from 'zod';
import { fieldError } from '../shared/errors.ts';

// C0/C1 controls, DEL, the Unicode line and paragraph separators, and the bidi embedding, override and
// isolate controls (a subject that renders backwards in a mail client is a phishing tool).
const UNSAFE_IN_HEADER = /[\u0000-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069\uFEFF]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export const MAX_SUBJECT_LENGTH = 200;
export const MAX_DISPLAY_NAME_LENGTH = 100;

/**
 * One line of header text: unsafe characters become spaces, runs of space collapse, long text is cut.
 * Text that reads as an RFC 2047 encoded word ("=?UTF-8?Q?…=0D=0A…?=") would be passed on as is and
 * decoded by the recipient's client, CR/LF included; an invisible WORD JOINER after "=" breaks the
 * pattern, so nodemailer encodes the text itself and the reader sees it literally.
 */
export function headerText(value: string, maxLength: number): string {
  const cleaned = value
    .normalize('NFC')
    .replace(LONE_SURROGATE, '\uFFFD')
    .replace(UNSAFE_IN_HEADER, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const chars = [...cleaned]; // code points, so a cut never splits a surrogate pair
  const cut = chars.length <= maxLength ? cleaned : `${chars.slice(0, maxLength - 1).join('')}…`;
  return cut.replaceAll('=?', '=\u2060?');
}

export const subjectText = (value: string): string => headerText(value, MAX_SUBJECT_LENGTH);
export const displayNameText = (value: string): string => headerText(value, MAX_DISPLAY_NAME_LENGTH);

// The same rule the comment form applies to email addresses, plus a length bound: the address was
// accepted there, so it must be accepted here; anything else never came from our forms.
const addressSchema = z.string().max(254).pipe(z.email());

export interface MailAddress {
  name: string | null;
  address: string;
}

/** A recipient or sender: the address must be one plain address; the name is cleaned (empty → null). */
export function mailAddress(address: string, name?: string | null, path = 'to'): MailAddress {
  if (!addressSchema.safeParse(address).success) throw fieldError(path, 'must be a valid email address');
  const cleanName = name ? displayNameText(name) : '';
  return { name: cleanName || null, address };
}

/** Extra headers a message may carry, by name; anything else is a programming error. */
export const ALLOWED_HEADERS = ['List-Unsubscribe', 'List-Unsubscribe-Post', 'List-Id', 'Auto-Submitted'] as const;
export type AllowedHeader = (typeof ALLOWED_HEADERS)[number];

/** Refuses a header value that could end the line or smuggle controls (they are built by us, from URLs). */
export function checkHeaders(headers: Partial<Record<string, string>>): Partial<Record<AllowedHeader, string>> {
  for (const [key, value] of Object.entries(headers)) {
    if (!(ALLOWED_HEADERS as readonly string[]).includes(key)) throw new Error(`header ${key} is not allowed`);
    if (value === undefined || /[^\u0020-\u007E]/.test(value)) {
      throw new Error(`header ${key} must be printable ASCII on one line`);
    }
  }
  return headers as Partial<Record<AllowedHeader, string>>;
}

// RFC 5322 "specials": a display name containing any of them must be a quoted string.
const NEEDS_QUOTES = /[()<>[\]:;@\\,."]/;

/** `Name <address>` for display and storage (nodemailer formats the real header itself). */
export function formatMailbox(m: MailAddress): string {
  if (!m.name) return m.address;
  const name = NEEDS_QUOTES.test(m.name) ? `"${m.name.replace(/["\\]/g, '\\$&')}"` : m.name;
  return `${name} <${m.address}>`;
}
