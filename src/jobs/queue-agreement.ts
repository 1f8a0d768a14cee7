// Every process of a deployment must hand jobs to the queue its workers read. A process started with
// part of the environment (a CLI run with DATABASE_URL but without REDIS_URL) would otherwise put its
// events in a jobs table no worker reads, and the webhooks would silently never go out. The first
// process records the backend in the database; a process with another one refuses to start and says
// which variable is off.
import type { DbOrTx } from '../db/database.ts';
import { recordQueueOnce, replaceQueueRecord } from './queue-record.repository.ts';

export type QueueIdentity = { backend: 'redis'; prefix: string } | { backend: 'database' };

export class QueueMismatchError extends Error {
  override name = 'QueueMismatchError';
}

export function queueIdentity(config: { redisUrl: string | null; redisPrefix: string }): QueueIdentity {
  return config.redisUrl ? { backend: 'redis', prefix: config.redisPrefix } : { backend: 'database' };
}

const SWITCH =
  'If the deployment has moved to another queue, stop every process once the workers are idle, run ' +
  '`npm run migrate -- --record-queue` with the new environment, then start them again.';

function describe(q: QueueIdentity): string {
  return q.backend === 'redis' ? `Redis (REDIS_PREFIX "${q.prefix}")` : 'the database (no REDIS_URL)';
}

function mismatch(recorded: QueueIdentity, mine: QueueIdentity, since: Date): string | null {
  if (recorded.backend === 'redis' && mine.backend === 'redis') {
    if (recorded.prefix === mine.prefix) return null;
    return `REDIS_PREFIX is "${mine.prefix}" here, but this deployment's workers use "${recorded.prefix}" (recorded ${since.toISOString()}): jobs would go to a queue no worker reads. Set REDIS_PREFIX="${recorded.prefix}". ${SWITCH}`;
  }
  if (recorded.backend === mine.backend) return null;
  const fix =
    recorded.backend === 'redis'
      ? 'REDIS_URL is not set here: set REDIS_URL (and REDIS_PREFIX) as the workers have them.'
      : 'REDIS_URL is set here: unset it, as the workers have it.';
  return `This deployment's workers take jobs from ${describe(recorded)} (recorded ${since.toISOString()}), so events written by this process would reach no worker. ${fix} ${SWITCH}`;
}

/** Records this process's queue backend if none is, else throws QueueMismatchError unless it is the same. */
export async function agreeOnQueue(db: DbOrTx, mine: QueueIdentity): Promise<void> {
  const { value, recordedAt } = await recordQueueOnce(db, mine);
  const problem = mismatch(value as QueueIdentity, mine, recordedAt);
  if (problem) throw new QueueMismatchError(problem);
}

/** `npm run migrate -- --record-queue`: makes this environment's backend the deployment's. */
export function recordQueue(db: DbOrTx, mine: QueueIdentity): Promise<void> {
  return replaceQueueRecord(db, mine);
}
