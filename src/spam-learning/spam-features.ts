// The one set of feature options training and scoring share: a token must be read the same way when
// a comment is learned and when one is scored, or the counts would never meet the comments.
import type { FeatureOptions, SpamInput } from '../spam/features.ts';
import { hmacSha256Hex } from '../spam/keyed-hash.ts';

/**
 * Names and email addresses become keyed hashes (HMAC-SHA256 with the server secret, of
 * "spam:" + the value): no personal data in the model. hmacSha256Hex gives createHmac's output
 * at about half the cost per value, which a comment with a new name pays per word in the request.
 */
export function spamFeatureOptions(secret: string): FeatureOptions {
  const mac = hmacSha256Hex(secret);
  return { hashPersonal: (value) => mac(`spam:${value}`) };
}

/**
 * What the model reads of a comment. The author's history is left out: it changes after the
 * comment, so a rebuild from the log could not read the comment as it was when it was learned.
 */
export function spamInputOf(c: { name: string; email: string; body: string; emailHash: string }): SpamInput {
  return { name: c.name, email: c.email, body: c.body, emailHash: c.emailHash };
}
