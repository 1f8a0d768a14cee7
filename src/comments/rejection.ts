// What a submitter is told when the site reveals rejections: 422 with the reasons. Otherwise rejected
// and spam comments are answered as pending, so spammers learn nothing.

import type { Verdict } from '../domain/verdict.ts';
import type { FieldError } from '../shared/errors.ts';
import { UnprocessableError } from '../shared/errors.ts';

/** The 422 answer, in a form that can be stored for an idempotent replay. */
export interface Rejection {
  message: string;
  code: string;
  errors: FieldError[];
}

const FIELD_OF_CODE: Record<string, string> = {
  honeypot: 'website',
  time_trap: 'renderedAt',
  blocked_email: 'email',
  blocked_domain: 'email',
};

function fieldOf(v: Verdict): string {
  const matches = v.data?.matches;
  if (Array.isArray(matches) && typeof matches[0]?.field === 'string') return matches[0].field;
  return FIELD_OF_CODE[v.code] ?? 'comment';
}

export function rejectionOf(verdicts: readonly Verdict[]): Rejection {
  const refusing = verdicts.filter((v) => v.action === 'reject' || v.action === 'spam');
  const first = refusing.find((v) => v.action === 'spam') ?? refusing[0];
  return {
    message: `The comment was not accepted: ${first?.detail ?? "it broke this site's rules."}`,
    code: first?.code ?? 'rejected',
    errors: refusing.map((v) => ({ path: fieldOf(v), message: `${v.code}: ${v.detail}` })),
  };
}

export function rejectionError(r: Rejection): UnprocessableError {
  return new UnprocessableError(r.message, { code: r.code, errors: r.errors });
}
