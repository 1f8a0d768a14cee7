// How often and when jobs are retried. Shared by both queue backends, so embedded and production
// behave alike.
import type { QueueName } from './job-queue.ts';
import { RetryLaterError } from './job-queue.ts';

/** Webhook retries, the Standard Webhooks way: about 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h. */
const WEBHOOK_SCHEDULE_MS = [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000];

export interface RetryPolicy {
  maxAttempts: Record<QueueName, number>;
  /** Delay before the retry that follows failed attempt number `attempt` (1-based). */
  delayMs(queue: QueueName, attempt: number, err: unknown): number;
}

const MAX_RETRY_AFTER_MS = 24 * 3_600_000;

export function createRetryPolicy(options: { webhookScheduleMs?: number[]; jitter?: number } = {}): RetryPolicy {
  const schedule = options.webhookScheduleMs ?? WEBHOOK_SCHEDULE_MS;
  const jitter = options.jitter ?? 0.1;
  const withJitter = (ms: number) => Math.round(ms * (1 - jitter + Math.random() * 2 * jitter));
  return {
    // Mail: 1 s doubling to 5 min, 20 attempts: about an hour and a half of SMTP outage before a mail is given up.
    // Imports: retried only while another worker still runs the same one (the job itself is not retried).
    maxAttempts: { events: 10, webhooks: schedule.length + 1, maintenance: 3, mail: 20, imports: 10 },
    delayMs(queue, attempt, err) {
      const retryAfter = err instanceof RetryLaterError ? err.retryAfterMs : undefined;
      if (queue === 'webhooks') {
        const planned = schedule[Math.min(attempt - 1, schedule.length - 1)]!;
        // A receiver that asks for more time gets it (bounded); never less than our schedule.
        if (retryAfter !== undefined) return Math.max(Math.min(retryAfter, MAX_RETRY_AFTER_MS), planned);
        return withJitter(planned);
      }
      // Internal jobs: quick exponential backoff, 1 s doubling up to 5 min.
      return withJitter(Math.min(1_000 * 2 ** (attempt - 1), 300_000));
    },
  };
}
