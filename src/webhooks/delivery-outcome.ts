// The pure decisions of a failed webhook attempt: may it be retried, when does the receiver want the
// retry, and has the endpoint failed long enough to be switched off. Kept apart from the job so each
// rule has a unit test of its own.
import type { PostResult } from './http-post.ts';

/** An endpoint that has failed every attempt for this long is switched off. */
export const DISABLE_AFTER_FAILING_MS = 5 * 24 * 3_600_000;

/**
 * Server errors, 429 Too Many Requests, 408 Request Timeout and network failures are worth another try;
 * other answers (4xx, redirects) and refused addresses or URLs will not change by waiting.
 */
export function isRetryable(result: Pick<PostResult, 'status' | 'errorCode'>): boolean {
  const { status } = result;
  if (status === null) return result.errorCode !== 'EFORBIDDENADDRESS' && result.errorCode !== 'EINVALIDURL';
  // A 2xx whose body broke off (ERESPONSE) was not received whole: try again.
  return status >= 500 || status === 429 || status === 408 || result.errorCode === 'ERESPONSE';
}

/** A Retry-After header (seconds, or an HTTP date) in milliseconds from `now`; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const v = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!v) return undefined;
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  // An HTTP date names its month and zone in letters; Date.parse would also take "-5" or "1.5" as dates.
  if (!/[a-z]/i.test(v)) return undefined;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** True once an endpoint failing since `failingSince` has failed for longer than the limit. */
export function failedTooLong(failingSince: Date | null, now = Date.now()): boolean {
  return failingSince !== null && now - failingSince.getTime() > DISABLE_AFTER_FAILING_MS;
}
