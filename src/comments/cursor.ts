// Opaque cursors for keyset pagination: the (createdAt, id) of the last comment on the previous page.
import { fieldError } from '../shared/errors.ts';
import { uuidPattern } from '../shared/ids.ts';

export interface Cursor {
  createdAt: Date;
  id: string;
}

export function encodeCursor(c: Cursor): string {
  return Buffer.from(`${c.createdAt.getTime()}.${c.id}`).toString('base64url');
}

export function decodeCursor(value: string): Cursor {
  const decoded = Buffer.from(value, 'base64url').toString('utf8');
  const match = /^(\d{1,15})\.(.+)$/.exec(decoded);
  if (!match || !uuidPattern.test(match[2]!)) throw fieldError('cursor', 'is not a cursor this API returned');
  return { createdAt: new Date(Number(match[1])), id: match[2]! };
}
