// The signed link of "Manage my comments": it names a site and an author's keyed email hash (never the
// address), expires after a day, and verifies only for this purpose. Whoever holds it can read and
// delete that author's comments on that site, so it is only ever mailed to the address itself.
import { absoluteUrl } from '../mail/mail-links.ts';
import { ValidationError } from '../shared/errors.ts';
import { signToken, type TokenRefusal, verifyToken } from '../shared/signed-token.ts';

const PURPOSE = 'manage';
export const MANAGE_TOKEN_TTL_SECONDS = 24 * 3600;

export interface ManageSubject {
  siteId: string;
  emailHash: string;
}

export function manageUrl(base: string, secret: string, s: ManageSubject, now?: Date): string {
  const token = signToken(
    secret,
    { purpose: PURPOSE, subject: `${s.siteId}.${s.emailHash}`, ttlSeconds: MANAGE_TOKEN_TTL_SECONDS },
    now,
  );
  return absoluteUrl(base, '/mail/manage/comments', { token });
}

const REFUSALS: Record<TokenRefusal, string> = {
  malformed: 'is not a valid link',
  bad_signature: 'is not a valid link',
  wrong_purpose: 'is not a link for this',
  expired: 'has expired: ask for a new one',
};

/** The subject of a genuine, unexpired manage token; a ValidationError (400) for anything else. */
export function verifyManage(secret: string, token: unknown, now = new Date()): ManageSubject {
  const v = verifyToken(secret, token, PURPOSE, now);
  if (!v.ok)
    throw new ValidationError([{ path: 'token', message: REFUSALS[v.reason] }], `This link ${REFUSALS[v.reason]}.`);
  // Site ids never contain a dot; the hash is hex.
  const [siteId, emailHash] = v.claims.subject.split('.') as [string, string];
  return { siteId, emailHash };
}
