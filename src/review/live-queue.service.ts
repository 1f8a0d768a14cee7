// The live queue: every committed status change reaches every open queue tab of its site within a
// moment, with the site's fresh counts, so a stale card is marked before its moderator acts on it.
// Changes are announced after commit (the ChangeNotifier), gathered per site (a bulk action of 500
// costs one counts query), and published on the live feed; open streams subscribe here.
// Counting a site is a scan of its index (tens of ms on 100,000 comments), so it is done only for a site
// some open tab watches (the feed knows, across processes): a POST storm with no dashboard open costs
// no count at all, and its moves are published without counts (the replay buffer stays whole; a tab
// that hears such a change after all reads its counts itself). When watched, the gap between two
// announcements grows with the time the last count took, so counting stays a bounded share of a core.
import type { Logger } from 'pino';
import { findUserById } from '../auth/user.repository.ts';
import type { Db } from '../db/database.ts';
import type { Actor } from '../domain/actor.ts';
import type { StatusMove } from '../events/change-notifier.ts';
import { compareEntryIds, type FeedEntry, isEntryId, type LiveChange, type LiveFeed } from '../events/live-feed.ts';
import { RateLimitedError } from '../shared/errors.ts';
import { countByStatus } from './review.repository.ts';
import { QUEUE_STATUSES } from './review.service.ts';

/**
 * Streams one session may hold open. Browsers allow about six HTTP/1.1 connections per host, so a
 * moderator with many tabs must keep some for the pages themselves; a tab refused here polls instead.
 */
export const MAX_STREAMS_PER_SESSION = 4;

/** Changes a reconnecting tab is replayed at most; past this it refetches its queue instead. */
const MAX_REPLAY = 2_000;
/** Entries read from the buffer for one replay. */
const MAX_REPLAY_ENTRIES = 1_000;

/**
 * Where a tab stands in the feed: an entry id, with the index of the last change of that entry it has
 * (none: all of it). A change's event id is `<entry>/<index>`; a stream's `ready` carries the entry id.
 */
interface Position {
  entry: string;
  index: number;
}

export function parsePosition(text: string): Position | null {
  const m = /^(\d{1,16}-\d{1,16})(?:\/(\d{1,6}))?$/.exec(text);
  if (!m || !isEntryId(m[1]!)) return null;
  return { entry: m[1]!, index: m[2] === undefined ? Number.POSITIVE_INFINITY : Number(m[2]) };
}

/** Orders two positions; a change's event id is a position too. */
export function comparePositions(a: Position, b: Position): number {
  return compareEntryIds(a.entry, b.entry) || (a.index === b.index ? 0 : a.index < b.index ? -1 : 1);
}

export interface ReplayedChange {
  id: string;
  change: LiveChange;
}

/** What an opened stream sends before the live changes. */
export interface StreamStart {
  remove: () => void;
  /** The position the tab stands at after what is sent here: its `ready` event's id (null: unknown). */
  cursor: string | null;
  /** The changes it missed, oldest first. */
  replay: ReplayedChange[];
  /** What it missed cannot be replayed (too old, a restart, a forged id): it refetches its queue. */
  refetch: boolean;
}

export interface LiveStream {
  sessionId: string;
  /** The sites whose changes it hears; null: every site (an admin's unfiltered queue). */
  siteIds: string[] | null;
  /** `id`: the change's event id (`<entry>/<index>`), for Last-Event-ID. */
  send(change: LiveChange, id: string): void;
  /** Changes may have been lost on the way (Redis unreachable): the tab refetches its queue. */
  resync(): void;
  /** Ends the stream (shutdown); the browser reconnects to another process or polls. */
  end(): void;
}

function actorLabel(actor: Actor, emails: Map<string, string>): string {
  if (actor.type === 'user') return emails.get(actor.id) ?? 'a moderator';
  if (actor.type === 'filter') return 'filters';
  if (actor.type === 'cli') return 'cli';
  return actor.id === 'reports' ? 'reports' : 'system';
}

/** Least time between two announcements. */
const MIN_FLUSH_GAP_MS = 100;
/**
 * The next announcement waits this many times as long as the last one's counts took: counting then
 * takes at most about a tenth of a process's time (and of a PostgreSQL backend's), however hard the storm.
 */
const COUNT_GAP_FACTOR = 10;
/** ... but no longer than this: a change still reaches the tabs within a couple of seconds. */
const MAX_FLUSH_GAP_MS = 2_000;

/** The least time from one announcement to the next, after one whose counts took `countingMs`. */
export function flushGapMs(countingMs: number): number {
  return Math.min(MAX_FLUSH_GAP_MS, Math.max(MIN_FLUSH_GAP_MS, COUNT_GAP_FACTOR * countingMs));
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

  async function countsOf(siteId: string): Promise<Record<string, number>> {
    const counted = await countByStatus(db, { siteIds: null, siteId });
    return Object.fromEntries(QUEUE_STATUSES.map((s) => [s, counted[s] ?? 0]));
  }

  async function describe(
    siteId: string,
    moves: StatusMove[],
    counts: Record<string, number> | null,
  ): Promise<LiveChange[]> {
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
  let lastFlushAt = 0;
  let gapMs = MIN_FLUSH_GAP_MS;
  async function flush() {
    lastFlushAt = Date.now();
    const batch = pending;
    pending = new Map();
    // Never throws by contract; a rejection here would stop every later announcement, so be sure.
    const watched = await feed.watched([...batch.keys()]).catch(() => new Set<string>());
    let countingMs = 0;
    for (const [siteId, moves] of batch) {
      try {
        let counts: Record<string, number> | null = null;
        if (watched.has(siteId)) {
          const started = performance.now();
          counts = await countsOf(siteId);
          countingMs += performance.now() - started;
        }
        await feed.publish(await describe(siteId, moves, counts));
      } catch (err) {
        log.warn({ err: (err as Error).message, siteId }, 'live queue: could not announce changes');
      }
    }
    gapMs = flushGapMs(countingMs);
  }

  const hears = (s: { siteIds: string[] | null }, change: LiveChange) =>
    s.siteIds === null || s.siteIds.includes(change.siteId);

  function deliver(entry: FeedEntry | null) {
    if (entry === null) {
      for (const s of streams) s.resync();
      return;
    }
    entry.changes.forEach((change, i) => {
      for (const s of streams) if (hears(s, change)) s.send(change, `${entry.id}/${i}`);
    });
  }

  /** The changes of `entries` after `from` that the stream hears; null past MAX_REPLAY. */
  function replayOf(stream: LiveStream, entries: FeedEntry[], from: Position): ReplayedChange[] | null {
    const out: ReplayedChange[] = [];
    for (const entry of entries)
      for (const [i, change] of entry.changes.entries()) {
        if (comparePositions({ entry: entry.id, index: i }, from) <= 0 || !hears(stream, change)) continue;
        if (out.length >= MAX_REPLAY) return null;
        out.push({ id: `${entry.id}/${i}`, change });
      }
    return out;
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

    /**
     * Where a page rendered now stands in the feed: its first stream asks for what came after (so a
     * change between the render and the stream is not missed). Null when the feed cannot say.
     */
    cursor(): Promise<string | null> {
      return feed.head();
    },

    /** After commit: the moves reach every open tab of the site. Never throws, never waits. */
    announce(siteId: string, moves: StatusMove[]): void {
      if (moves.length === 0) return;
      if (pending.size === 0) {
        const run = () => {
          flushing = flushing.then(flush);
        };
        // A comment storm gathers into a few announcements a second (fewer when counting is slow),
        // instead of one per tick; a change after a quiet moment still goes out on the next tick.
        const wait = lastFlushAt + gapMs - Date.now();
        if (wait <= 0) setImmediate(run);
        else setTimeout(run, wait).unref();
      }
      pending.set(siteId, [...(pending.get(siteId) ?? []), ...moves]);
    },

    /**
     * Registers an open stream once it will hear every change from now on; returns its removal. Refused
     * past the per-session bound (429) and while the process stops (null: the caller answers 503).
     */
    async open(stream: LiveStream, after: string | null = null): Promise<StreamStart | null> {
      if (stopping) return null;
      let held = 0;
      for (const s of streams) if (s.sessionId === stream.sessionId) held += 1;
      if (held >= MAX_STREAMS_PER_SESSION)
        throw new RateLimitedError(
          `At most ${MAX_STREAMS_PER_SESSION} live queues per session; this tab updates by polling.`,
          30,
          'too_many_streams',
        );
      const from = after ? parsePosition(after) : null;
      // Watched from before it hears anything: a change it hears later was counted, unless announced
      // by a process that had not yet seen the registration (the tab then reads the counts itself).
      const unwatch = feed.watch(stream.siteIds);
      const remove = () => {
        streams.delete(stream);
        unwatch();
      };
      if (!from) {
        // A first connection: it stands at the newest entry, read before it starts hearing, so nothing
        // between the two is lost (a reconnect from there replays it). An unreadable id is a gap.
        const cursor = await feed.head();
        streams.add(stream);
        await listen();
        return { remove, cursor, replay: [], refetch: after !== null };
      }
      // A reconnect: it hears from now on, then is replayed what came after its position (the live
      // changes already in the replay are sent once: the route skips ids it has sent).
      streams.add(stream);
      await listen();
      const entries = await feed.since(from.entry, MAX_REPLAY_ENTRIES);
      const replay = entries ? replayOf(stream, entries, from) : null;
      if (!replay) return { remove, cursor: await feed.head(), replay: [], refetch: true };
      return { remove, cursor: after, replay, refetch: false };
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
