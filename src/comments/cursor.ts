// Opaque cursors for keyset pagination: the (createdAt, id) of the last comment on the previous page.
// Public thread cursors are also signed for their article and sort order: only cursors this service
// handed out are accepted, so made-up ones are refused with 400 before they reach the database or the
// thread cache (each would otherwise be a page of its own to cache).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { fieldError } from '../shared/errors.ts';
import { uuidPattern } from '../shared/ids.ts';

export interface Cursor {
  createdAt: Date;
  id: string;
}

const refused = () => fieldError('cursor', 'is not a cursor this API returned');

export function encodeCursor(c: Cursor): string {
  return Buffer.from(`${c.createdAt.getTime()}.${c.id}`).toString('base64url');
}

export function decodeCursor(value: string): Cursor {
  const decoded = Buffer.from(value, 'base64url').toString('utf8');
  const match = /^(\d{1,15})\.(.+)$/.exec(decoded);
  if (!match || !uuidPattern.test(match[2]!)) throw refused();
  return { createdAt: new Date(Number(match[1])), id: match[2]! };
}

/** What a thread cursor is bound to: it pages this article in this order, nothing else. */
export interface CursorScope {
  secret: string;
  articleId: string;
  sort: string;
}

const MAC_BYTES = 16;
const MAX_CURSOR_LENGTH = 200;

function mac(scope: CursorScope, position: string): Buffer {
  const key = createHmac('sha256', scope.secret).update('thread-cursors').digest();
  return createHmac('sha256', key)
    .update(`${scope.articleId}\u0000${scope.sort}\u0000${position}`)
    .digest()
    .subarray(0, MAC_BYTES);
}

export function encodeThreadCursor(c: Cursor, scope: CursorScope): string {
  const position = encodeCursor(c);
  return `${position}.${mac(scope, position).toString('base64url')}`;
}

/** Throws a 400 ValidationError for anything but a cursor encodeThreadCursor made for this scope. */
export function decodeThreadCursor(value: string, scope: CursorScope): Cursor {
  const [position, signature, ...rest] = value.length <= MAX_CURSOR_LENGTH ? value.split('.') : [];
  if (!position || !signature || rest.length > 0) throw refused();
  const given = Buffer.from(signature, 'base64url');
  const expected = mac(scope, position);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw refused();
  return decodeCursor(position);
}
