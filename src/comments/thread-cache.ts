// Cached thread pages and their ETags, so a popular article is served without touching the database.
// In Redis when configured (shared by every API process), else in process memory. Status changes
// that affect the public thread invalidate the article's entries right after commit, and again when
// their event is processed; a TTL bounds anything missed.
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
}

const TTL_SECONDS = 300;
const MEMORY_MAX_ARTICLES = 5_000;

export function createThreadCache(redis: Redis | null, prefix: string, log: Logger): ThreadCache {
  if (redis) {
    const key = (siteId: string, articleId: string) => `${prefix}:thread:${siteId}:${articleId}`;
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
      get: (s, a, v) =>
        soft(async () => {
          const raw = await redis.hget(key(s, a), v);
          return raw ? (JSON.parse(raw) as CachedPage) : null;
        }, null),
      set: (s, a, v, page) =>
        soft(async () => {
          await redis.multi().hset(key(s, a), v, JSON.stringify(page)).expire(key(s, a), TTL_SECONDS).exec();
        }, undefined),
      invalidate: (s, a) =>
        soft(async () => {
          await redis.del(key(s, a));
        }, undefined),
    };
  }

  const articles = new Map<string, { expires: number; pages: Map<string, CachedPage> }>();
  const key = (s: string, a: string) => `${s}\u0000${a}`;
  return {
    async get(s, a, v) {
      const entry = articles.get(key(s, a));
      if (!entry || entry.expires < Date.now()) return null;
      return entry.pages.get(v) ?? null;
    },
    async set(s, a, v, page) {
      let entry = articles.get(key(s, a));
      if (!entry || entry.expires < Date.now()) {
        if (articles.size >= MEMORY_MAX_ARTICLES) articles.delete(articles.keys().next().value!);
        entry = { expires: Date.now() + TTL_SECONDS * 1000, pages: new Map() };
        articles.set(key(s, a), entry);
      }
      if (entry.pages.size < 200) entry.pages.set(v, page);
    },
    async invalidate(s, a) {
      articles.delete(key(s, a));
    },
  };
}
