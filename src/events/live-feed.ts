// The live queue's bus: status changes published by whichever process committed them, heard by every
// API process that holds an open dashboard stream. Redis when REDIS_URL is set (API processes are many
// and any of them may serve a tab), an EventEmitter in the embedded single process.
// Each published batch is an entry with an id, kept in a bounded buffer (a Redis stream trimmed to about
// BUFFER_ENTRIES, or an array in process): a tab that reconnects says the last id it saw (SSE's
// Last-Event-ID) and is replayed what it missed, or told to refetch its queue when that id is no longer
// in the buffer (too old, from before a restart, or forged). A gap is never silent.
// The feed also knows which sites are watched: an open stream registers the sites it hears (every site:
// an admin's unfiltered queue) for as long as it lives, so the announcing process reads a site's counts
// only when some tab, in any process, can show them. On Redis each registration is a member of a sorted
// set per site, scored with its expiry and refreshed while the stream lives: a process that dies without
// removing its members stops counting as a watcher after WATCH_TTL_MS.
import { randomBytes } from 'node:crypto';
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
  /**
   * The site's comments per queue status right after the change; null when no open tab watched the site
   * as it was announced (the counts were not read: a tab that hears it after all reads them itself).
   */
  counts: Record<string, number> | null;
}

/** One published batch: its id orders it among all others (`<ms>-<seq>`, as Redis stream ids). */
export interface FeedEntry {
  id: string;
  changes: LiveChange[];
}

/** An entry, or null: entries may have been lost here (Redis was unreachable), so every open tab refetches. */
type Listener = (entry: FeedEntry | null) => void;

/** Entries kept for replay. A tab offline for longer than this many batches refetches its queue. */
const BUFFER_ENTRIES = 1_000;

export interface LiveFeed {
  /** Sends the changes to every process's listeners; never throws (a lost message is logged). */
  publish(changes: LiveChange[]): Promise<void>;
  /** Resolves once the listener hears every entry published from now on; returns its unsubscribe. */
  subscribe(listener: Listener): Promise<() => void>;
  /**
   * The id of the newest entry: where a tab that has seen everything until now stands. Null when the
   * buffer cannot be read (Redis down): such a tab cannot be replayed to and refetches when it reconnects.
   */
  head(): Promise<string | null>;
  /**
   * The entry `id` and every later one, oldest first; null when `id` is not in the buffer (trimmed, from
   * another run, or never issued): the tab cannot know what it missed and refetches. At most `limit`
   * entries after `id`; more is null as well.
   */
  since(id: string, limit: number): Promise<FeedEntry[] | null>;
  /** Registers an open stream's sites (null: every site) as watched until the returned removal. */
  watch(siteIds: string[] | null): () => void;
  /**
   * Which of `siteIds` some open stream of any process hears: only their changes carry counts. May be a
   * moment late (cached about WATCH_CACHE_MS); never throws (unknown: not watched, and a tab that hears
   * such a change reads the counts itself).
   */
  watched(siteIds: string[]): Promise<Set<string>>;
  close(): Promise<void>;
}

/** How long a process's registration outlives its last refresh (it refreshes every third of this). */
const WATCH_TTL_MS = 30_000;
/** How long an announcing process trusts what it read about a site being watched. */
const WATCH_CACHE_MS = 1_000;
/** The registration of "every site" (an admin's unfiltered queue), next to the sites' own. */
const ALL_SITES = '*';

/** The streams of this process, by the sites they hear. */
function createLocalWatches() {
  const held = new Map<string, number>();
  return {
    /** Adds a stream's sites; answers the keys this process did not hold before. */
    add(siteIds: string[] | null): string[] {
      const fresh: string[] = [];
      for (const key of new Set(siteIds ?? [ALL_SITES])) {
        const n = held.get(key) ?? 0;
        if (n === 0) fresh.push(key);
        held.set(key, n + 1);
      }
      return fresh;
    },
    /** Removes them; answers the keys no stream of this process holds any more. */
    remove(siteIds: string[] | null): string[] {
      const gone: string[] = [];
      for (const key of new Set(siteIds ?? [ALL_SITES])) {
        const n = (held.get(key) ?? 0) - 1;
        if (n > 0) held.set(key, n);
        else if (held.delete(key)) gone.push(key);
      }
      return gone;
    },
    has: (siteId: string) => held.has(ALL_SITES) || held.has(siteId),
    keys: () => [...held.keys()],
  };
}

/** A removal that does its work once, however often it is called (a stream ends on several paths). */
function once(fn: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    fn();
  };
}

const ENTRY_ID = /^(\d{1,16})-(\d{1,16})$/;

/** Whether `id` has the shape of an entry id (a forged or truncated Last-Event-ID has not). */
export function isEntryId(id: string): boolean {
  return ENTRY_ID.test(id);
}

/** Orders two entry ids (negative: `a` is older). */
export function compareEntryIds(a: string, b: string): number {
  const [, am = '0', as = '0'] = ENTRY_ID.exec(a) ?? [];
  const [, bm = '0', bs = '0'] = ENTRY_ID.exec(b) ?? [];
  return Number(am) - Number(bm) || Number(as) - Number(bs);
}

/**
 * In-process: the embedded mode, where the one process serves every tab. Ids start from this run's
 * start time, so an id kept by a tab across a restart is not found and the tab refetches.
 */
export function createLocalFeed(o: { bufferEntries?: number } = {}): LiveFeed {
  const bus = new EventEmitter();
  bus.setMaxListeners(0);
  const max = o.bufferEntries ?? BUFFER_ENTRIES;
  const run = Date.now();
  let seq = 0;
  const entries: FeedEntry[] = [];
  const watches = createLocalWatches();
  const append = (changes: LiveChange[]): FeedEntry => {
    const entry = { id: `${run}-${++seq}`, changes };
    entries.push(entry);
    if (entries.length > max) entries.splice(0, entries.length - max);
    return entry;
  };
  return {
    async publish(changes) {
      if (changes.length === 0) return;
      bus.emit('entry', append(changes));
    },
    async subscribe(listener) {
      bus.on('entry', listener);
      return () => bus.off('entry', listener);
    },
    async head() {
      // An empty buffer still needs an anchor a tab can come back to.
      return (entries.at(-1) ?? append([])).id;
    },
    async since(id, limit) {
      const at = entries.findIndex((e) => e.id === id);
      if (at < 0 || entries.length - at - 1 > limit) return null;
      return entries.slice(at);
    },
    watch(siteIds) {
      watches.add(siteIds);
      return once(() => watches.remove(siteIds));
    },
    async watched(siteIds) {
      return new Set(siteIds.filter((id) => watches.has(id)));
    },
    async close() {
      bus.removeAllListeners();
    },
  };
}

// XADD and PUBLISH in one step: every process that hears an entry can also find it in the buffer, and
// entries are heard in the order of their ids.
const PUBLISH_SCRIPT = `
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '*', 'c', ARGV[1])
redis.call('PUBLISH', KEYS[2], id .. ' ' .. ARGV[1])
return id`;

// A process's registrations: each key (a site's, or every site's) is a sorted set of the processes
// watching it, scored with when their registration lapses. Redis's clock, so processes need not agree.
const WATCH_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ttl = tonumber(ARGV[2])
for _, key in ipairs(KEYS) do
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
  redis.call('ZADD', key, now + ttl, ARGV[1])
  if redis.call('PTTL', key) < ttl * 2 then redis.call('PEXPIRE', key, ttl * 2) end
end
return 0`;

// How many registrations of each key have not lapsed.
const WATCHED_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local out = {}
for i, key in ipairs(KEYS) do out[i] = redis.call('ZCOUNT', key, '(' .. now, '+inf') end
return out`;

function parseChanges(text: string): LiveChange[] {
  const parsed = JSON.parse(text) as unknown;
  return Array.isArray(parsed) ? (parsed as LiveChange[]) : [];
}

/**
 * Across API processes: the buffer is a Redis stream, written with a PUBLISH in one script on the
 * request-path connection (fails fast when Redis is down), and one subscriber connection per process,
 * opened with its first listener (workers and the CLI never open one).
 */
export function createRedisFeed(deps: {
  publisher: Redis;
  /** Opens the subscriber connection (a subscribed connection can run no other command). */
  connect: () => Redis;
  prefix: string;
  log: Logger;
  bufferEntries?: number;
  /** How long a registration outlives its process (tests: short, to see a dead process's lapse). */
  watchTtlMs?: number;
  /** How long a site's watched-or-not is trusted before Redis is asked again. */
  watchCacheMs?: number;
}): LiveFeed {
  const channel = `${deps.prefix}:live-queue`;
  const buffer = `${deps.prefix}:live-queue:buffer`;
  const max = deps.bufferEntries ?? BUFFER_ENTRIES;
  const watchKey = (key: string) => `${deps.prefix}:live-queue:watch:${key}`;
  const ttl = deps.watchTtlMs ?? WATCH_TTL_MS;
  const cacheMs = deps.watchCacheMs ?? WATCH_CACHE_MS;
  // This process among the watchers: one member per feed, removed when its streams end or it closes.
  const member = randomBytes(9).toString('base64url');
  const watches = createLocalWatches();
  const known = new Map<string, { until: number; watched: boolean }>();
  let refresher: NodeJS.Timeout | null = null;
  let watchWarned = false;
  const warnWatch = (err: unknown) => {
    if (!watchWarned)
      deps.log.warn({ err: (err as Error).message }, 'live queue: could not read or register watched sites');
    watchWarned = true;
  };
  const register = (keys: string[]) =>
    keys.length === 0
      ? Promise.resolve()
      : (deps.publisher.eval(WATCH_SCRIPT, keys.length, ...keys.map(watchKey), member, String(ttl)) as Promise<unknown>)
          .then(() => {
            watchWarned = false;
          })
          .catch(warnWatch);
  const local = new EventEmitter();
  local.setMaxListeners(0);
  let subscriber: Redis | null = null;
  let subscribed: Promise<unknown> | null = null;
  let warned = false;

  const append = (changes: LiveChange[]) =>
    deps.publisher.eval(PUBLISH_SCRIPT, 2, buffer, channel, JSON.stringify(changes), String(max)) as Promise<string>;

  function open(): Promise<unknown> {
    if (subscribed) return subscribed;
    const s = deps.connect();
    subscriber = s;
    // Back after an outage: whatever was published meanwhile never reached this process's tabs.
    let ready = false;
    s.on('ready', () => {
      if (ready) local.emit('entry', null);
      ready = true;
    });
    s.on('message', (ch: string, message: string) => {
      if (ch !== channel) return;
      const cut = message.indexOf(' ');
      try {
        const id = message.slice(0, cut);
        if (cut < 0 || !isEntryId(id)) throw new Error('no entry id');
        const changes = parseChanges(message.slice(cut + 1));
        // An empty entry is an anchor (head() of an empty buffer): nothing to hear.
        if (changes.length > 0) local.emit('entry', { id, changes });
      } catch (err) {
        deps.log.warn({ err: (err as Error).message }, 'live queue: unreadable message');
      }
    });
    // ioredis subscribes again by itself after a reconnect; what was published meanwhile is in the
    // buffer, and a tab that reconnects is replayed it.
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
        await append(changes);
        warned = false;
      } catch (err) {
        if (!warned)
          deps.log.warn(
            { err: (err as Error).message },
            'live queue: could not publish to Redis; open tabs are told to refetch their queue',
          );
        warned = true;
        // This process's own tabs at least learn that they missed something.
        local.emit('entry', null);
      }
    },
    async subscribe(listener) {
      local.on('entry', listener);
      const off = () => local.off('entry', listener);
      // While Redis is down the subscription waits for it; the stream opens anyway (and hears
      // changes once Redis is back), so a tab is never held up here for long.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([open(), new Promise((done) => (timer = setTimeout(done, 2_000)))]);
      clearTimeout(timer);
      return off;
    },
    async head() {
      try {
        const last = await deps.publisher.xrevrange(buffer, '+', '-', 'COUNT', 1);
        return last[0]?.[0] ?? (await append([]));
      } catch {
        return null;
      }
    },
    async since(id, limit) {
      if (!isEntryId(id)) return null;
      try {
        const rows = await deps.publisher.xrange(buffer, id, '+', 'COUNT', limit + 2);
        if (rows[0]?.[0] !== id || rows.length > limit + 1) return null;
        return rows.map(([entryId, fields]) => ({
          id: entryId,
          changes: parseChanges(fields[fields.indexOf('c') + 1] ?? '[]'),
        }));
      } catch {
        return null;
      }
    },
    watch(siteIds) {
      void register(watches.add(siteIds));
      // Refreshed while any stream lives, so the registration lapses only after this process is gone.
      refresher ??= setInterval(() => void register(watches.keys()), Math.max(50, Math.floor(ttl / 3)));
      refresher.unref();
      return once(() => {
        const gone = watches.remove(siteIds);
        for (const key of gone) deps.publisher.zrem(watchKey(key), member).catch(warnWatch);
        if (watches.keys().length === 0 && refresher) {
          clearInterval(refresher);
          refresher = null;
        }
      });
    },
    async watched(siteIds) {
      // This process's own streams need no round trip.
      const out = new Set(siteIds.filter((id) => watches.has(id)));
      const rest = siteIds.filter((id) => !out.has(id));
      if (rest.length === 0) return out;
      const now = Date.now();
      const answers = new Map<string, boolean>();
      for (const key of [ALL_SITES, ...rest]) {
        const k = known.get(key);
        if (k && k.until > now) answers.set(key, k.watched);
      }
      const ask = [ALL_SITES, ...rest].filter((key) => !answers.has(key));
      if (ask.length > 0) {
        try {
          const n = (await deps.publisher.eval(WATCHED_SCRIPT, ask.length, ...ask.map(watchKey))) as number[];
          if (known.size > 10_000) known.clear();
          ask.forEach((key, i) => {
            answers.set(key, (n[i] ?? 0) > 0);
            known.set(key, { until: now + cacheMs, watched: (n[i] ?? 0) > 0 });
          });
          watchWarned = false;
        } catch (err) {
          warnWatch(err);
          return out;
        }
      }
      if (answers.get(ALL_SITES)) return new Set(siteIds);
      for (const id of rest) if (answers.get(id)) out.add(id);
      return out;
    },
    async close() {
      if (refresher) clearInterval(refresher);
      refresher = null;
      // Gone at once rather than after the TTL; a failure here is what the TTL is for.
      await Promise.all(watches.keys().map((key) => deps.publisher.zrem(watchKey(key), member).catch(() => {})));
      local.removeAllListeners();
      subscriber?.disconnect();
      subscriber = null;
      subscribed = null;
    },
  };
}
