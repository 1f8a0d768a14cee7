// Idempotency-Key replays: a retried submission gets the answer the first attempt got, and a key
// reused for a different comment is refused.
import { createHash } from 'node:crypto';
import type { DbOrTx } from '../db/database.ts';
import { UnprocessableError } from '../shared/errors.ts';
import type { CommentInput, PublicComment } from './comment.schemas.ts';
import { findIdempotentResponse } from './idempotency.repository.ts';
import { type Rejection, rejectionError } from './rejection.ts';

export interface SubmitResult {
  id: string;
  status: 'approved' | 'pending';
  comment: PublicComment;
}

export interface SubmitOutcome {
  result: SubmitResult;
  replayed: boolean;
  /**
   * Where a form post should send the reader back to: a URL on an allowed origin, a path on this service
   * (see form-redirect.ts), or null when unknown.
   */
  articleUrl: string | null;
}

/** The same comment always has the same print; the time trap's field is left out (a retry renders anew). */
export function fingerprint(siteId: string, input: CommentInput): string {
  const { renderedAt: _ignored, ...stable } = input;
  return createHash('sha256')
    .update(JSON.stringify([siteId, stable]))
    .digest('hex');
}

/** The stored answer for this key, or null when the key is new (or expired). */
export async function replay(db: DbOrTx, siteId: string, key: string, print: string): Promise<SubmitOutcome | null> {
  const stored = await findIdempotentResponse(db, siteId, key);
  if (!stored) return null;
  if (stored.fingerprint !== print) {
    throw new UnprocessableError('This Idempotency-Key was already used for a different comment.', {
      code: 'idempotency_key_reused',
    });
  }
  // A revealed rejection replays as the same 422.
  if (stored.statusCode === 422) throw rejectionError((stored.response as { rejection: Rejection }).rejection);
  const result = stored.response as SubmitResult & { articleUrl?: string | null };
  const { articleUrl = null, ...rest } = result;
  return { result: rest, replayed: true, articleUrl };
}
