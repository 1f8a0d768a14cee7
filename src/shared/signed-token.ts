// Signed, expiring, purpose-bound tokens for links in mail (confirm a subscription, unsubscribe,
// manage my comments). Stateless: the link carries everything, so the worker that renders a mail and
// the API process that receives the click need nothing but the server secret.
//
// Format: base64url(JSON {v, p, s, e}) "." base64url(HMAC-SHA256(key, "signed-token:v1:" + payload)).
// The key is derived from the server secret for this use alone, so a token can never double as the
// email HMAC or any other keyed value made with the same secret.
//
// Single use is not the token's job: a token names a row (its subject), and the caller's change to
// that row is conditional on its state, e.g. `update subscriptions set confirmed_at = now() where id = $1
// and confirmed_at is null` (a second click finds nothing to change). Where no such state exists, the
// caller records `tokenDigest(token)` in a table with a unique key and refuses a digest already there.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export interface TokenClaims {
  /** What the token may do: "confirm", "unsubscribe", "manage"… A token verifies only for its purpose. */
  purpose: string;
  /** The id of what it acts on (a subscription id, a comment id, an address hash). */
  subject: string;
  /** Unix seconds after which the token is refused. */
  expiresAt: number;
}

export type TokenRefusal = 'malformed' | 'bad_signature' | 'wrong_purpose' | 'expired';
export type VerifiedToken = { ok: true; claims: TokenClaims } | { ok: false; reason: TokenRefusal };

/** Seven days: how long a confirmation link stays valid (issue 17). */
export const CONFIRM_TOKEN_TTL_SECONDS = 7 * 24 * 3600;

// Bounds checked before any work, so junk of any size costs nothing.
const MAX_TOKEN_LENGTH = 1024;
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{43}$/;
const PURPOSE_SHAPE = /^[a-z][a-z0-9_-]{0,31}$/;
const SUBJECT_SHAPE = /^[A-Za-z0-9._:@-]{1,200}$/;

function keyFor(secret: string): Buffer {
  return createHmac('sha256', secret).update('mail-link-tokens').digest();
}

function mac(secret: string, payload: string): Buffer {
  return createHmac('sha256', keyFor(secret)).update(`signed-token:v1:${payload}`).digest();
}

export function signToken(
  secret: string,
  claims: { purpose: string; subject: string; ttlSeconds: number },
  now: Date = new Date(),
): string {
  if (!PURPOSE_SHAPE.test(claims.purpose)) throw new Error(`token purpose "${claims.purpose}" is not a simple name`);
  if (!SUBJECT_SHAPE.test(claims.subject)) throw new Error('token subject must be an id (letters, digits, ._:@-)');
  if (!Number.isInteger(claims.ttlSeconds) || claims.ttlSeconds <= 0) throw new Error('ttlSeconds must be > 0');
  const e = Math.floor(now.getTime() / 1000) + claims.ttlSeconds;
  const payload = Buffer.from(JSON.stringify({ v: 1, p: claims.purpose, s: claims.subject, e })).toString('base64url');
  return `${payload}.${mac(secret, payload).toString('base64url')}`;
}

/** Never throws: anything that is not a valid, unexpired token of `purpose` is a typed refusal. */
export function verifyToken(secret: string, token: unknown, purpose: string, now: Date = new Date()): VerifiedToken {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH || !TOKEN_SHAPE.test(token)) {
    return { ok: false, reason: 'malformed' };
  }
  const [payload, signature] = token.split('.') as [string, string];
  // Compared as text, not as decoded bytes: base64url's last character carries spare bits, so several
  // strings decode to the same MAC, and a token's digest (single-use records) must have one spelling.
  const given = Buffer.from(signature, 'latin1');
  const expected = Buffer.from(mac(secret, payload).toString('base64url'), 'latin1');
  // Equal lengths by the shape check; timingSafeEqual needs them and compares in constant time.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'bad_signature' };
  }
  const claims = decodeClaims(payload);
  if (!claims) return { ok: false, reason: 'malformed' };
  if (claims.purpose !== purpose) return { ok: false, reason: 'wrong_purpose' };
  if (claims.expiresAt * 1000 <= now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, claims };
}

// Only reached with a payload we signed ourselves, but still checked field by field: a key shared
// with an older version must not turn into a crash.
function decodeClaims(payload: string): TokenClaims | null {
  try {
    const raw: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    if (typeof raw !== 'object' || raw === null) return null;
    const { v, p, s, e } = raw as Record<string, unknown>;
    if (v !== 1 || typeof p !== 'string' || typeof s !== 'string' || !Number.isSafeInteger(e)) return null;
    return { purpose: p, subject: s, expiresAt: e as number };
  } catch {
    return null;
  }
}

/** A stable digest of a token, for callers that record used tokens (never store the token itself). */
export function tokenDigest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
