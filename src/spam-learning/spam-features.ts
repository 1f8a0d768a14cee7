// The one set of feature options training and scoring share: a token must be read the same way when
// a comment is learned and when one is scored, or the counts would never meet the comments.
import { createHmac } from 'node:crypto';
import type { FeatureOptions, SpamInput } from '../spam/features.ts';

/** Names and email addresses become keyed hashes (the server secret): no personal data in the model. */
export function spamFeatureOptions(secret: string): FeatureOptions {
  return { hashPersonal: (value) => createHmac('sha256', secret).update(`spam:${value}`).digest('hex') };
}

/**
 * What the model reads of a comment. The author's history is left out: it changes after the
 * comment, so a rebuild from the log could not read the comment as it was when it was learned.
 */
export function spamInputOf(c: { name: string; email: string; body: string; emailHash: string }): SpamInput {
  return { name: c.name, email: c.email, body: c.body, emailHash: c.emailHash };
}
