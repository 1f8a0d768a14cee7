// OWASP's device cookie: given to a browser after it signed in to an account, it proves "this browser
// knew this account's password before" and buys that browser its own budget of failed sign-ins (see
// login-limiter.ts). It is signed with the server secret and bound to the account (by a hash of its
// email, never the email itself), so it cannot be forged or carried to another account; it grants
// nothing else (the password is checked as always).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { accountKey } from './login-limiter.ts';

export const DEVICE_COOKIE_MAX_AGE_SECONDS = 180 * 24 * 3600;

export interface DeviceCookies {
  /** A fresh cookie value for a browser that has just signed in to this account. */
  issue(email: string, now?: Date): string;
  /** The device's id when the value is a cookie we issued for this account and it has not expired; else null. */
  verify(value: string | undefined, email: string, now?: Date): string | null;
}

export function createDeviceCookies(secret: string): DeviceCookies {
  const sign = (issuedAt: string, nonce: string, email: string) =>
    createHmac('sha256', secret)
      .update(`device:${accountKey(email)}:${issuedAt}:${nonce}`)
      .digest('base64url');

  return {
    issue(email, now = new Date()) {
      const issuedAt = Math.floor(now.getTime() / 1000).toString(36);
      const nonce = randomBytes(16).toString('base64url');
      return `${issuedAt}.${nonce}.${sign(issuedAt, nonce, email)}`;
    },

    verify(value, email, now = new Date()) {
      const match = value ? /^([0-9a-z]{1,10})\.([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/.exec(value) : null;
      if (!match) return null;
      const [, issuedAt, nonce, signature] = match as unknown as [string, string, string, string];
      const expected = Buffer.from(sign(issuedAt, nonce, email));
      if (!timingSafeEqual(expected, Buffer.from(signature))) return null;
      const age = now.getTime() / 1000 - Number.parseInt(issuedAt, 36);
      return age >= 0 && age < DEVICE_COOKIE_MAX_AGE_SECONDS ? nonce : null;
    },
  };
}
