// The pure rules behind webhook delivery and comment moderation: which failures are retried, how a
// Retry-After header is read and obeyed, when a failing endpoint is switched off, which addresses a
// webhook may reach, and which status moves a comment may make.
import { describe, expect, it } from 'vitest';
import { COMMENT_STATUSES, canTransition } from '../../../src/domain/comment-status.ts';
import { RetryLaterError } from '../../../src/jobs/job-queue.ts';
import { createRetryPolicy } from '../../../src/jobs/retry-policy.ts';
import {
  DISABLE_AFTER_FAILING_MS,
  failedTooLong,
  isRetryable,
  parseRetryAfter,
} from '../../../src/webhooks/delivery-outcome.ts';
import { isPublicAddress } from '../../../src/webhooks/safe-address.ts';

describe('which failed attempts are retried', () => {
  it('retries 5xx, 429 and 408, and network errors', () => {
    for (const status of [500, 502, 503, 504, 599, 429, 408])
      expect(isRetryable({ status, errorCode: null })).toBe(true);
    expect(isRetryable({ status: null, errorCode: 'ECONNREFUSED' })).toBe(true);
    expect(isRetryable({ status: null, errorCode: 'ETIMEDOUT' })).toBe(true);
  });

  it('does not retry other 4xx, redirects, refused addresses or invalid URLs', () => {
    for (const status of [300, 301, 302, 400, 401, 403, 404, 409, 410, 413, 422])
      expect(isRetryable({ status, errorCode: null }), String(status)).toBe(false);
    expect(isRetryable({ status: null, errorCode: 'EFORBIDDENADDRESS' })).toBe(false);
    expect(isRetryable({ status: null, errorCode: 'EINVALIDURL' })).toBe(false);
  });
});

describe('Retry-After', () => {
  const now = Date.parse('2026-12-01T12:00:00Z');
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 7 ', now)).toBe(7_000);
    expect(parseRetryAfter(['3', '9'], now)).toBe(3_000);
    expect(parseRetryAfter('Tue, 01 Dec 2026 12:01:30 GMT', now)).toBe(90_000);
    expect(parseRetryAfter('Tue, 01 Dec 2026 11:00:00 GMT', now)).toBe(0); // in the past: now
  });

  it('ignores what it cannot read', () => {
    for (const v of [undefined, '', 'soon', '-5', '1.5']) expect(parseRetryAfter(v, now), String(v)).toBeUndefined();
  });

  it('delays a webhook retry as long as the receiver asks (bounded to a day), never less than the schedule', () => {
    const policy = createRetryPolicy({ webhookScheduleMs: [5_000, 60_000], jitter: 0 });
    expect(policy.delayMs('webhooks', 1, new RetryLaterError('429', 30_000))).toBe(30_000);
    expect(policy.delayMs('webhooks', 1, new RetryLaterError('429', 1_000))).toBe(5_000);
    expect(policy.delayMs('webhooks', 2, new RetryLaterError('429', 1_000))).toBe(60_000);
    expect(policy.delayMs('webhooks', 1, new RetryLaterError('429', 10 * 24 * 3_600_000))).toBe(24 * 3_600_000);
  });
});

describe('the retry schedule', () => {
  it('follows the webhook schedule, repeating its last step, and allows one attempt more than its steps', () => {
    const policy = createRetryPolicy({ webhookScheduleMs: [100, 200, 300], jitter: 0 });
    expect([1, 2, 3, 4, 9].map((n) => policy.delayMs('webhooks', n, new Error('x')))).toEqual([
      100, 200, 300, 300, 300,
    ]);
    expect(policy.maxAttempts.webhooks).toBe(4);
  });

  it('uses the Standard Webhooks schedule by default: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h', () => {
    const policy = createRetryPolicy({ jitter: 0 });
    const delays = [1, 2, 3, 4, 5, 6, 7].map((n) => policy.delayMs('webhooks', n, new Error('x')));
    expect(delays).toEqual([5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000]);
    expect(policy.maxAttempts.webhooks).toBe(8);
  });

  it('backs internal jobs off exponentially from 1 s up to 5 min, with jitter within 10 %', () => {
    const exact = createRetryPolicy({ jitter: 0 });
    expect([1, 2, 3, 10, 20].map((n) => exact.delayMs('events', n, new Error('x')))).toEqual([
      1_000, 2_000, 4_000, 300_000, 300_000,
    ]);
    const jittered = createRetryPolicy();
    for (let i = 0; i < 50; i++) {
      const d = jittered.delayMs('webhooks', 1, new Error('x'));
      expect(d).toBeGreaterThanOrEqual(4_500);
      expect(d).toBeLessThanOrEqual(5_500);
    }
  });
});

describe('switching off an endpoint that keeps failing', () => {
  const now = Date.now();
  it('after five days of failures, not before', () => {
    expect(DISABLE_AFTER_FAILING_MS).toBe(5 * 24 * 3_600_000);
    expect(failedTooLong(null, now)).toBe(false);
    expect(failedTooLong(new Date(now - 4 * 24 * 3_600_000), now)).toBe(false);
    expect(failedTooLong(new Date(now - DISABLE_AFTER_FAILING_MS), now)).toBe(false);
    expect(failedTooLong(new Date(now - DISABLE_AFTER_FAILING_MS - 1), now)).toBe(true);
  });
});

describe('webhook target addresses', () => {
  it('allows public unicast addresses', () => {
    for (const a of ['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111', '::ffff:93.184.216.34'])
      expect(isPublicAddress(a), a).toBe(true);
  });

  it('refuses loopback, private, link-local (cloud metadata), unspecified, multicast and reserved ranges', () => {
    for (const a of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '224.0.0.1',
      '255.255.255.255',
      '::1',
      '::',
      'fe80::1',
      'fc00::1',
      'fd12:3456::1',
      'ff02::1',
      '::ffff:127.0.0.1',
      '::ffff:10.0.0.1',
      'not an address',
      '',
    ])
      expect(isPublicAddress(a), a).toBe(false);
  });
});

describe('the comment status moves', () => {
  it('allows exactly these edges (approved never goes back to pending; deleted is final)', () => {
    const edges = COMMENT_STATUSES.flatMap((from) =>
      COMMENT_STATUSES.filter((to) => canTransition(from, to)).map((to) => `${from}→${to}`),
    );
    expect(edges.sort()).toEqual(
      [
        'pending→approved',
        'pending→rejected',
        'pending→spam',
        'pending→deleted',
        'approved→rejected',
        'approved→spam',
        'approved→deleted',
        'rejected→approved',
        'rejected→pending',
        'rejected→spam',
        'rejected→deleted',
        'spam→approved',
        'spam→pending',
        'spam→rejected',
        'spam→deleted',
      ].sort(),
    );
    expect(canTransition('approved', 'pending')).toBe(false);
    for (const to of COMMENT_STATUSES) expect(canTransition('deleted', to)).toBe(false);
  });
});
