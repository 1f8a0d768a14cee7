// The queue seen by the rest of the app. Two backends implement it: BullMQ on Redis, and a
// database-backed queue for the embedded mode (and any deployment without Redis). Both run the same
// handlers with the same retry policy.

// 'imports': admin uploads, imported by a worker (one at a time per process: it is CPU-bound).
export const QUEUE_NAMES = ['events', 'webhooks', 'maintenance', 'mail', 'imports'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

export interface AddOptions {
  /** Dedupe key: adding a job whose id exists is a no-op. */
  jobId: string;
  delayMs?: number;
}

export interface Job {
  id: string;
  name: string;
  data: Record<string, unknown>;
  /** Attempts made before this one (0 on the first run). */
  attemptsMade: number;
  /** Started before, even with no attempt counted: a run cut off (its worker died) taken up again. */
  startedBefore?: boolean;
  maxAttempts: number;
}

export type JobHandler = (job: Job) => Promise<void>;

/** Try again later; `retryAfterMs` (e.g. from a Retry-After header) overrides the schedule. */
export class RetryLaterError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** Retrying cannot help (bad input, endpoint gone): fail the job now. */
export class PermanentJobError extends Error {}

export interface Producer {
  add(queue: QueueName, name: string, data: Record<string, unknown>, opts: AddOptions): Promise<void>;
  /** Several jobs of one queue in one round trip. */
  addBulk(queue: QueueName, jobs: { name: string; data: Record<string, unknown>; opts: AddOptions }[]): Promise<void>;
}

export interface WorkerOptions {
  concurrency: Partial<Record<QueueName, number>>;
}

export interface QueueBackend {
  kind: 'bullmq' | 'database';
  producer: Producer;
  /** Starts consuming every queue with the given handlers. */
  startWorkers(handlers: Record<QueueName, JobHandler>, opts?: WorkerOptions): Promise<void>;
  /** A repeatable job (maintenance), run about every `everyMs` by one worker of the deployment. */
  schedule(name: string, everyMs: number): Promise<void>;
  /** Jobs waiting (or delayed) per queue, for metrics and tests. */
  counts(): Promise<Record<QueueName, { waiting: number; active: number; failed: number }>>;
  /** Stops taking jobs, lets in-flight ones finish (or hands them back), closes connections. */
  close(): Promise<void>;
}
