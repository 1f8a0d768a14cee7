// Cached thread pages and their ETags, so a popular article is served without touching a store.
// Two levels: each process keeps pages in memory; with Redis, pages are shared between processes
// (a hash per article) and invalidations are broadcast over pub/sub so every process drops its copy.
// Status changes that affect the public thread invalidate once, right after commit; an event the outbox
// sweeper recovers (its writer may have died first) invalidates again when it is processed; TTLs bound
// anything missed (a pub/sub message lost while Redis was away).
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

export interface CachedPage {
  etag: string;
  body: string;
}

export interface ThreadCache {
  get(siteId: string, articleId: string, variant: string): Promise<CachedPage | null>;
  set(siteId: string, articleId: string, variant: string, page: CachedPage): Promise<void>;
  invalidate(siteId: string, articleId: string): Promise<void>;
  close(): void;
}

const SHARED_TTL_SECONDS = 300;
const MAX_ARTICLES = 5_000;
// Every article's entry is bounded, in pages and in bytes: the variants (sort, limit, cursor) of one
// article are many even when every cursor is real. A page beyond the bound is served, just not cached.
const MAX_VARIANTS = 200;
const MAX_ARTICLE_BYTES = 4 * 1024 * 1024;

/**
 * Adds a page to an article's hash within its bounds. The expiry is set when the entry is created and
 * never pushed back, so steady traffic cannot keep a stale entry alive. '#bytes' counts the pages'
 * sizes (no variant starts with '#').
 */
const ADD_PAGE = `
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then return 0 end
local used = tonumber(redis.call('HGET', KEYS[1], '#bytes') or '0')
if redis.call('HLEN', KEYS[1]) > tonumber(ARGV[3]) or used + #ARGV[2] > tonumber(ARGV[4]) then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('HINCRBY', KEYS[1], '#bytes', #ARGV[2])
if redis.call('TTL', KEYS[1]) < 0 then redis.call('EXPIRE', KEYS[1], ARGV[5]) end
return 1
`;

/** Pages held in this process. */
function memoryLevel(ttlMs: number) {
  const articles = new Map<string, { expires: number; bytes: number; pages: Map<string, CachedPage> }>();
  return {
    get(key: string, variant: string): CachedPage | null {
      const entry = articles.get(key);
      if (!entry) return null;
      if (entry.expires < Date.now()) {
        articles.delete(key);
        return null;
      }
      return entry.pages.get(variant) ?? null;
    },
    set(key: string, variant: string, page: CachedPage) {
      let entry = articles.get(key);
      if (!entry || entry.expires < Date.now()) {
        if (articles.size >= MAX_ARTICLES) articles.delete(articles.keys().next().value!);
        entry = { expires: Date.now() + ttlMs, bytes: 0, pages: new Map() };
        articles.set(key, entry);
      }
      const size = page.body.length + page.etag.length;
      if (entry.pages.has(variant) || entry.pages.size >= MAX_VARIANTS || entry.bytes + size > MAX_ARTICLE_BYTES)
        return;
      entry.pages.set(variant, page);
      entry.bytes += size;
    },
    delete(key: string) {
      articles.delete(key);
    },
  };
}

export function createThreadCache(redis: Redis | null, prefix: string, log: Logger): ThreadCache {
  const keyOf = (siteId: string, articleId: string) => `${siteId}\u0000${articleId}`;
  if (!redis) {
    // One process holds the only copy, and invalidates it synchronously.
    const local = memoryLevel(SHARED_TTL_SECONDS * 1000);
    return {
      get: async (s, a, v) => local.get(keyOf(s, a), v),
      set: async (s, a, v, page) => local.set(keyOf(s, a), v, page),
      invalidate: async (s, a) => local.delete(keyOf(s, a)),
      close() {},
    };
  }

  // Short-lived local copies: other processes' invalidations arrive by pub/sub within milliseconds.
  const local = memoryLevel(10_000);
  const channel = `${prefix}:thread-invalidations`;
  const sharedKey = (key: string) => `${prefix}:thread:${key}`;
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
    async get(s, a, v) {
      const key = keyOf(s, a);
      const hit = local.get(key, v);
      if (hit) return hit;
      const shared = await soft(async () => {
        const raw = await redis.hget(sharedKey(key), v);
        return raw ? (JSON.parse(raw) as CachedPage) : null;
      }, null);
      if (shared) local.set(key, v, shared);
      return shared;
    },
    async set(s, a, v, page) {
      const key = keyOf(s, a);
      local.set(key, v, page);
      await soft(async () => {
        await redis.eval(
          ADD_PAGE,
          1,
          sharedKey(key),
          v,
          JSON.stringify(page),
          MAX_VARIANTS,
          MAX_ARTICLE_BYTES,
          SHARED_TTL_SECONDS,
        );
      }, undefined);
    },
    async invalidate(s, a) {
      const key = keyOf(s, a);
      local.delete(key);
      await soft(async () => {
        await redis.multi().del(sharedKey(key)).publish(channel, key).exec();
      }, undefined);
    },
    close() {
      subscriber.disconnect();
    },
  };
}
