// Cached thread pages and their ETags, so a popular article is served without touching a store.
// Two levels: each process keeps pages in memory; with Redis, pages are shared between processes
// (a hash per article) and invalidations are broadcast over pub/sub so every process drops its copy.
// Status changes that affect the public thread invalidate once, right after commit; an event the outbox
// sweeper recovers (its writer may have died first) invalidates again when it is processed; TTLs bound
// anything missed (a pub/sub message lost while Redis was away).
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

/** A page as built and as shared between processes (its JSON text). */
interface CachedPage {
  etag: string;
  body: string;
}

/**
 * A page as this process serves it: the body already encoded, with the headers of a 200 answer made
 * once, so a hit costs neither an encoding nor a header object of its own.
 */
export interface ServedPage {
  etag: string;
  bytes: Buffer;
  headers: Readonly<Record<string, string>>;
}

function toServedPage(page: CachedPage): ServedPage {
  const bytes = Buffer.from(page.body);
  return {
    etag: page.etag,
    bytes,
    headers: {
      'content-type': 'application/json',
      'content-length': String(bytes.byteLength),
      etag: page.etag,
      'cache-control': 'no-cache',
    },
  };
}

/**
 * Taken when a page is missed, handed back when the page built after it is stored: a page is stored
 * only if no invalidation of its article came in between (it may have read the thread before that
 * change committed).
 */
interface CacheTicket {
  local: number;
  /** The article's invalidation counter in Redis when the page was missed ('' when it has none). */
  shared: string | null;
}

export interface ThreadCache {
  /** This process's copy of the page, if it holds one: the common case, answered with no promise. */
  peek(siteId: string, articleId: string, variant: string): ServedPage | null;
  get(siteId: string, articleId: string, variant: string): Promise<{ page: ServedPage | null; ticket: CacheTicket }>;
  /** Stores the page unless the article was invalidated since `ticket`; the page as served either way. */
  set(siteId: string, articleId: string, variant: string, page: CachedPage, ticket: CacheTicket): Promise<ServedPage>;
  invalidate(siteId: string, articleId: string): Promise<void>;
  close(): void;
}

const SHARED_TTL_SECONDS = 300;
/** Outlives any page build: a counter that expired mid-build reads as '' and refuses that page (safe). */
const VERSION_TTL_SECONDS = 3_600;
const MAX_ARTICLES = 5_000;
// Every article's entry is bounded, in pages and in bytes: the variants (sort, limit, cursor) of one
// article are many even when every cursor is real. A page beyond the bound is served, just not cached.
const MAX_VARIANTS = 200;
const MAX_ARTICLE_BYTES = 4 * 1024 * 1024;

/**
 * Adds a page to an article's hash within its bounds. The expiry is set when the entry is created and
 * never pushed back, so steady traffic cannot keep a stale entry alive. '#bytes' counts the pages'
 * sizes (no variant starts with '#'). Refused when the article's invalidation counter (KEYS[2]) moved
 * since the page was missed (ARGV[6]): the page may have been read before that change committed.
 */
const ADD_PAGE = `
if (redis.call('GET', KEYS[2]) or '') ~= ARGV[6] then return 0 end
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then return 0 end
local used = tonumber(redis.call('HGET', KEYS[1], '#bytes') or '0')
if redis.call('HLEN', KEYS[1]) > tonumber(ARGV[3]) or used + #ARGV[2] > tonumber(ARGV[4]) then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('HINCRBY', KEYS[1], '#bytes', #ARGV[2])
if redis.call('TTL', KEYS[1]) < 0 then redis.call('EXPIRE', KEYS[1], ARGV[5]) end
return 1
`;

/**
 * Drops an article's pages everywhere: the shared hash, its invalidation counter moved on (pages built
 * before are refused), and the other processes told. One script, not a MULTI: on the connection
 * BullMQ shares, a MULTI costs about 50 µs (it copies BullMQ's scripts), once per published comment.
 */
const INVALIDATE = `
redis.call('DEL', KEYS[1])
redis.call('INCR', KEYS[2])
redis.call('EXPIRE', KEYS[2], ARGV[3])
redis.call('PUBLISH', ARGV[1], ARGV[2])
return 1
`;

/** Pages held in this process, and when each article was last invalidated (for tickets). */
function memoryLevel(ttlMs: number) {
  const articles = new Map<string, { expires: number; bytes: number; pages: Map<string, ServedPage> }>();
  // Every invalidation gets a value of its own; an article not in the map has `floor`, raised when the
  // map is cleared, so a ticket taken before the clear never matches after it.
  let clock = 0;
  let floor = 0;
  const invalidated = new Map<string, number>();
  return {
    ticket(key: string): number {
      return invalidated.get(key) ?? floor;
    },
    get(key: string, variant: string): ServedPage | null {
      const entry = articles.get(key);
      if (!entry) return null;
      if (entry.expires < Date.now()) {
        articles.delete(key);
        return null;
      }
      return entry.pages.get(variant) ?? null;
    },
    set(key: string, variant: string, page: ServedPage) {
      let entry = articles.get(key);
      if (!entry || entry.expires < Date.now()) {
        if (articles.size >= MAX_ARTICLES) articles.delete(articles.keys().next().value!);
        entry = { expires: Date.now() + ttlMs, bytes: 0, pages: new Map() };
        articles.set(key, entry);
      }
      const size = page.bytes.byteLength + page.etag.length;
      if (entry.pages.has(variant) || entry.pages.size >= MAX_VARIANTS || entry.bytes + size > MAX_ARTICLE_BYTES)
        return;
      entry.pages.set(variant, page);
      entry.bytes += size;
    },
    delete(key: string) {
      articles.delete(key);
      if (invalidated.size >= MAX_ARTICLES) {
        invalidated.clear();
        floor = ++clock;
      }
      invalidated.set(key, ++clock);
    },
  };
}

export function createThreadCache(redis: Redis | null, prefix: string, log: Logger): ThreadCache {
  const keyOf = (siteId: string, articleId: string) => `${siteId}\u0000${articleId}`;
  if (!redis) {
    // One process holds the only copy, and invalidates it synchronously.
    const local = memoryLevel(SHARED_TTL_SECONDS * 1000);
    return {
      peek: (s, a, v) => local.get(keyOf(s, a), v),
      async get(s, a, v) {
        const key = keyOf(s, a);
        return { page: local.get(key, v), ticket: { local: local.ticket(key), shared: null } };
      },
      async set(s, a, v, page, ticket) {
        const key = keyOf(s, a);
        const served = toServedPage(page);
        if (local.ticket(key) === ticket.local) local.set(key, v, served);
        return served;
      },
      invalidate: async (s, a) => local.delete(keyOf(s, a)),
      close() {},
    };
  }

  // Short-lived local copies: other processes' invalidations arrive by pub/sub within milliseconds.
  const local = memoryLevel(10_000);
  const channel = `${prefix}:thread-invalidations`;
  const sharedKey = (key: string) => `${prefix}:thread:${key}`;
  // Counts the article's invalidations (outliving the page hash, which an invalidation deletes), so a
  // page built from a read before a change in another process is never stored after that change.
  const versionKey = (key: string) => `${prefix}:thread-version:${key}`;
  const subscriber = redis.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null, lazyConnect: false });
  subscriber.on('error', () => {}); // the command connection already reports outages
  subscriber.subscribe(channel).catch(() => {});
  subscriber.on('message', (_channel: string, key: string) => local.delete(key));

  let warned = false;
  const soft = async <T>(fn: () => Promise<T>, fallback: T): Promise<T> => {
    try {
      const v = await fn();
      warned = false;
      return v;
    } catch (err) {
      // A cache that is down is a miss, never an error for the reader.
      if (!warned) log.warn({ err: (err as Error).message }, 'thread cache unavailable');
      warned = true;
      return fallback;
    }
  };

  return {
    peek: (s, a, v) => local.get(keyOf(s, a), v),
    async get(s, a, v) {
      const key = keyOf(s, a);
      const ticket = { local: local.ticket(key), shared: null as string | null };
      const hit = local.get(key, v);
      if (hit) return { page: hit, ticket };
      const shared = await soft(async () => {
        const [raw, version] = await Promise.all([redis.hget(sharedKey(key), v), redis.get(versionKey(key))]);
        ticket.shared = version ?? '';
        return raw ? toServedPage(JSON.parse(raw) as CachedPage) : null;
      }, null);
      // Kept locally only if no invalidation arrived while Redis answered.
      if (shared && local.ticket(key) === ticket.local) local.set(key, v, shared);
      return { page: shared, ticket };
    },
    async set(s, a, v, page, ticket) {
      const key = keyOf(s, a);
      const served = toServedPage(page);
      if (local.ticket(key) !== ticket.local) return served;
      local.set(key, v, served);
      const version = ticket.shared;
      if (version === null) return served; // Redis did not answer the miss: nothing to compare with
      await soft(async () => {
        await redis.eval(
          ADD_PAGE,
          2,
          sharedKey(key),
          versionKey(key),
          v,
          JSON.stringify(page),
          MAX_VARIANTS,
          MAX_ARTICLE_BYTES,
          SHARED_TTL_SECONDS,
          version,
        );
      }, undefined);
      return served;
    },
    async invalidate(s, a) {
      const key = keyOf(s, a);
      local.delete(key);
      await soft(async () => {
        await redis.eval(INVALIDATE, 2, sharedKey(key), versionKey(key), channel, key, VERSION_TTL_SECONDS);
      }, undefined);
    },
    close() {
      subscriber.disconnect();
    },
  };
}
