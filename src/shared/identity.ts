import { createHmac } from 'node:crypto';

/**
 * The author's identity for trust, history and bans: an HMAC of the lower-cased email with the
 * server secret. It links an author's comments without the raw email, and cannot be reversed
 * or looked up in a rainbow table without the secret.
 */
export function emailHash(secret: string, email: string): string {
  return createHmac('sha256', secret).update(`email:${email.trim().toLowerCase()}`).digest('hex');
}
