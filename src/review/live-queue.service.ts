// The live queue: every committed status change reaches every open queue tab of its site within a
// moment, with the site's fresh counts, so a stale card is marked before its moderator acts on it.
// Changes are announced after commit (the ChangeNotifier), gathered per site for one tick (a bulk
// action of 500 costs one counts query), and published on the live feed; open streams subscribe here.
import type { Logger } from 'pino';
import { findUserById } from '../auth/user.repository.ts';
import type { Db } from '../db/database.ts';
import type { Actor } from '../domain/actor.ts';
import type { StatusMove } from '../events/change-notifier.ts';
import type { LiveChange, LiveFeed } from '../events/live-feed.ts';
import { RateLimitedError } from '../shared/errors.ts';
import { countByStatus } from './review.repository.ts';
import { QUEUE_STATUSES } from './review.service.ts';

/**
 * Streams one session may hold open. Browsers allow about six HTTP/1.1 connections per host, so a
 * moderator with many tabs must keep some for the pages themselves; a tab refused here polls instead.
 */
export const MAX_STREAMS_PER_SESSION = 4;

export interface LiveStream {
  sessionId: string;
  /** The sites whose changes it hears; null: every site (an admin's unfiltered queue). */
  siteIds: string[] | null;
  send(change: LiveChange): void;
  /** Ends the stream (shutdown); the browser reconnects to another process or polls. */
  end(): void;
}

function actorLabel(actor: Actor, emails: Map<string, string>): string {
  if (actor.type === 'user') return emails.get(actor.id) ?? 'a moderator';
  if (actor.type === 'filter') return 'filters';
  if (actor.type === 'cli') return 'cli';
  return actor.id === 'reports' ? 'reports' : 'system';
}

/** How often an open stream gets a comment line and its session is checked again. */
const HEARTBEAT_MS = 15_000;

export function createLiveQueue(deps: { db: Db; feed: LiveFeed; log: Logger; heartbeatMs?: number }) {
  const { db, feed, log } = deps;
  const streams = new Set<LiveStream>();
  let stopping = false;
  let pending = new Map<string, StatusMove[]>();
  let unsubscribe: (() => void) | null = null;
  let subscribing: Promise<void> | null = null;

  async function describe(siteId: string, moves: StatusMove[]): Promise<LiveChange[]> {
    const counted = await countByStatus(db, { siteIds: null, siteId });
    const counts = Object.fromEntries(QUEUE_STATUSES.map((s) => [s, counted[s] ?? 0]));
    const emails = new Map<string, string>();
    for (const id of new Set(moves.filter((m) => m.actor.type === 'user').map((m) => m.actor.id))) {
      const user = await findUserById(db, id);
      if (user) emails.set(id, user.email);
    }
    const at = new Date().toISOString();
    return moves.map((m) => ({
      commentId: m.commentId,
      siteId,
      status: m.to,
      previousStatus: m.from,
      actor: actorLabel(m.actor, emails),
      at,
      counts,
    }));
  }

  // One flush at a time: a later batch's counts (read after more commits) never arrive before an
  // earlier batch's, so a tab's counts never step back.
  let flushing: Promise<void> = Promise.resolve();
  async function flush() {
    const batch = pending;
    pending = new Map();
    for (const [siteId, moves] of batch) {
      try {
        await feed.publish(await describe(siteId, moves));
      } catch (err) {
        log.warn({ err: (err as Error).message, siteId }, 'live queue: could not announce changes');
      }
    }
  }

  function deliver(change: LiveChange) {
    for (const s of streams) if (s.siteIds === null || s.siteIds.includes(change.siteId)) s.send(change);
  }

  /** One feed subscription per process, for all its streams. */
  function listen(): Promise<void> {
    subscribing ??= feed.subscribe(deliver).then((off) => {
      unsubscribe = off;
    });
    return subscribing;
  }

  return {
    /** Comment lines keep proxies from timing the stream out; the session is checked again at each. */
    heartbeatMs: deps.heartbeatMs ?? HEARTBEAT_MS,

    /** After commit: the moves reach every open tab of the site. Never throws, never waits. */
    announce(siteId: string, moves: StatusMove[]): void {
      if (moves.length === 0) return;
      if (pending.size === 0) setImmediate(() => (flushing = flushing.then(flush)));
      pending.set(siteId, [...(pending.get(siteId) ?? []), ...moves]);
    },

    /**
     * Registers an open stream once it will hear every change from now on; returns its removal. Refused
     * past the per-session bound (429) and while the process stops (null: the caller answers 503).
     */
    async open(stream: LiveStream): Promise<(() => void) | null> {
      if (stopping) return null;
      let held = 0;
      for (const s of streams) if (s.sessionId === stream.sessionId) held += 1;
      if (held >= MAX_STREAMS_PER_SESSION)
        throw new RateLimitedError(
          `At most ${MAX_STREAMS_PER_SESSION} live queues per session; this tab updates by polling.`,
          30,
          'too_many_streams',
        );
      streams.add(stream);
      await listen();
      return () => streams.delete(stream);
    },

    /** Shutdown: ends every stream, so the HTTP server's graceful close is not held up by them. */
    stop(): void {
      stopping = true;
      for (const s of streams) s.end();
      streams.clear();
    },

    async close(): Promise<void> {
      this.stop();
      // Changes committed just before (a CLI command's decision) still reach the other processes' tabs,
      // and their counts are read before the database closes.
      if (pending.size > 0) flushing = flushing.then(flush);
      await flushing;
      unsubscribe?.();
      await feed.close();
    },
  };
}

export type LiveQueue = ReturnType<typeof createLiveQueue>;
