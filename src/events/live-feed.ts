// The live queue's bus: status changes published by whichever process committed them, heard by every
// API process that holds an open dashboard stream. Redis pub/sub when REDIS_URL is set (API processes
// are many and any of them may serve a tab), an EventEmitter in the embedded single process.
// Delivery is best effort, at most once: a tab that misses a message still has its polling.
import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

/** What an open queue hears about one comment. Never the author's email or IP: only what a tab shows. */
export interface LiveChange {
  commentId: string;
  siteId: string;
  status: string;
  previousStatus: string | null;
  /** A moderator's email, or "filters", "cli", "reports", "system". */
  actor: string;
  at: string;
  /** The site's comments per queue status right after the change. */
  counts: Record<string, number>;
}

type Listener = (change: LiveChange) => void;

export interface LiveFeed {
  /** Sends the changes to every process's listeners; never throws (a lost message is logged). */
  publish(changes: LiveChange[]): Promise<void>;
  /** Resolves once the listener hears every change published from now on; returns its unsubscribe. */
  subscribe(listener: Listener): Promise<() => void>;
  close(): Promise<void>;
}

/** In-process: the embedded mode, where the one process serves every tab. */
export function createLocalFeed(): LiveFeed {
  const bus = new EventEmitter();
  bus.setMaxListeners(0);
  return {
    async publish(changes) {
      for (const c of changes) bus.emit('change', c);
    },
    async subscribe(listener) {
      bus.on('change', listener);
      return () => bus.off('change', listener);
    },
    async close() {
      bus.removeAllListeners();
    },
  };
}

/**
 * Across API processes: PUBLISH on the request-path connection (fails fast when Redis is down), and one
 * subscriber connection per process, opened with its first listener (workers and the CLI never open one).
 */
export function createRedisFeed(deps: {
  publisher: Redis;
  /** Opens the subscriber connection (a subscribed connection can run no other command). */
  connect: () => Redis;
  prefix: string;
  log: Logger;
}): LiveFeed {
  const channel = `${deps.prefix}:live-queue`;
  const local = createLocalFeed();
  let subscriber: Redis | null = null;
  let subscribed: Promise<unknown> | null = null;
  let warned = false;

  function open(): Promise<unknown> {
    if (subscribed) return subscribed;
    const s = deps.connect();
    subscriber = s;
    s.on('message', (ch: string, message: string) => {
      if (ch !== channel) return;
      try {
        void local.publish(JSON.parse(message) as LiveChange[]);
      } catch (err) {
        deps.log.warn({ err: (err as Error).message }, 'live queue: unreadable message');
      }
    });
    // ioredis subscribes again by itself after a reconnect.
    subscribed = s.subscribe(channel).catch((err) => {
      deps.log.warn({ err: (err as Error).message }, 'live queue: could not subscribe; tabs fall back to polling');
      subscribed = null;
    });
    return subscribed;
  }

  return {
    async publish(changes) {
      if (changes.length === 0) return;
      try {
        await deps.publisher.publish(channel, JSON.stringify(changes));
        warned = false;
      } catch (err) {
        if (!warned)
          deps.log.warn(
            { err: (err as Error).message },
            'live queue: could not publish to Redis; open tabs see it on their next poll',
          );
        warned = true;
      }
    },
    async subscribe(listener) {
      const off = await local.subscribe(listener);
      // While Redis is down the subscription waits for it; the stream opens anyway (and hears
      // changes once Redis is back), so a tab is never held up here for long.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([open(), new Promise((done) => (timer = setTimeout(done, 2_000)))]);
      clearTimeout(timer);
      return off;
    },
    async close() {
      await local.close();
      subscriber?.disconnect();
      subscriber = null;
      subscribed = null;
    },
  };
}
