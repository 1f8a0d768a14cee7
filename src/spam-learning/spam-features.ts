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
  return { hashPersonal: (value) => mac(`spam:${value}`), ...SPAM_TOKEN_DEFAULTS };
}

/**
 * The tokens the service reads (chosen on validation splits of `npm run bench:spam`'s training
 * stream, round 6 in src/spam/spam-model.ts): no word pairs, and what a link's host looks like.
 * Changing these orphans stored counts of the tokens dropped: run `spam:retrain`.
 */
export const SPAM_TOKEN_DEFAULTS: Readonly<Omit<FeatureOptions, 'hashPersonal'>> = Object.freeze({
  bigrams: false,
  linkShape: true,
});

/**
 * What the model reads of a comment. The author's history is left out: it changes after the
 * comment, so a rebuild from the log could not read the comment as it was when it was learned.
 */
export function spamInputOf(c: { name: string; email: string; body: string; emailHash: string }): SpamInput {
  return { name: c.name, email: c.email, body: c.body, emailHash: c.emailHash };
}
