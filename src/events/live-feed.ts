// The live queue's bus: status changes published by whichever process committed them, heard by every
// API process that holds an open dashboard stream. Redis when REDIS_URL is set (API processes are many
// and any of them may serve a tab), an EventEmitter in the embedded single process.
// Each published batch is an entry with an id, kept in a bounded buffer (a Redis stream trimmed to about
// BUFFER_ENTRIES, or an array in process): a tab that reconnects says the last id it saw (SSE's
// Last-Event-ID) and is replayed what it missed, or told to refetch its queue when that id is no longer
// in the buffer (too old, from before a restart, or forged). A gap is never silent.
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
  close(): Promise<void>;
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
}): LiveFeed {
  const channel = `${deps.prefix}:live-queue`;
  const buffer = `${deps.prefix}:live-queue:buffer`;
  const max = deps.bufferEntries ?? BUFFER_ENTRIES;
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
    async close() {
      local.removeAllListeners();
      subscriber?.disconnect();
      subscriber = null;
      subscribed = null;
    },
  };
}
