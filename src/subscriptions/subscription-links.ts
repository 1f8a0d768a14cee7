// The signed links a subscription mail carries: confirm (7 days, single use by the row's state),
// unsubscribe from this subscription, and unsubscribe the address from the whole site.
import { absoluteUrl } from '../mail/mail-links.ts';
import { CONFIRM_TOKEN_TTL_SECONDS, signToken, type VerifiedToken, verifyToken } from '../shared/signed-token.ts';

export const PURPOSE = { confirm: 'confirm', unsubscribe: 'unsubscribe', unsubscribeSite: 'unsubscribe-site' } as const;

// Unsubscribe links must keep working for as long as someone may open an old mail.
const UNSUBSCRIBE_TTL_SECONDS = 2 * 365 * 24 * 3600;

export function confirmUrl(base: string, secret: string, subscriptionId: string, now?: Date): string {
  const token = signToken(
    secret,
    { purpose: PURPOSE.confirm, subject: subscriptionId, ttlSeconds: CONFIRM_TOKEN_TTL_SECONDS },
    now,
  );
  return absoluteUrl(base, '/mail/confirm', { token });
}

export function unsubscribeUrl(base: string, secret: string, subscriptionId: string, now?: Date): string {
  const token = signToken(
    secret,
    { purpose: PURPOSE.unsubscribe, subject: subscriptionId, ttlSeconds: UNSUBSCRIBE_TTL_SECONDS },
    now,
  );
  return absoluteUrl(base, '/mail/unsubscribe', { token });
}

/** The subject is "<siteId>.<emailHash>": site ids never contain a dot. */
export function unsubscribeSiteUrl(base: string, secret: string, siteId: string, emailHash: string): string {
  const token = signToken(secret, {
    purpose: PURPOSE.unsubscribeSite,
    subject: `${siteId}.${emailHash}`,
    ttlSeconds: UNSUBSCRIBE_TTL_SECONDS,
  });
  return absoluteUrl(base, '/mail/unsubscribe', { token });
}

/** Which of the unsubscribe purposes a token has, if any. */
export function verifyUnsubscribe(
  secret: string,
  token: unknown,
): { scope: 'subscription' | 'site'; result: VerifiedToken } {
  const one = verifyToken(secret, token, PURPOSE.unsubscribe);
  if (one.ok || one.reason !== 'wrong_purpose') return { scope: 'subscription', result: one };
  return { scope: 'site', result: verifyToken(secret, token, PURPOSE.unsubscribeSite) };
}
