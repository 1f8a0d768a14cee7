// Flood control: one comment per author (email HMAC) and per client address on a site within the
// site's flood interval. Counted in Redis across API processes (memory in embedded mode). A client is
// its canonical IPv4 address or its IPv6 /64 (shared/ip-address.ts): "::ffff:a.b.c.d" is a.b.c.d, and
// hopping between the addresses of one /64 gains nothing. The client's key is an HMAC of it with the
// server secret: Redis keys outlive an author's erasure (for the interval), and an address is personal data.
import { createHmac } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { RateLimitedError } from '../shared/errors.ts';
import { clientKey } from '../shared/ip-address.ts';

interface FloodKeys {
  siteId: string;
  emailHash: string;
  ip: string | null;
}

export interface FloodControl {
  /**
   * Counts one comment for the author and the IP. Throws RateLimitedError (429, with Retry-After)
   * when either posted less than `intervalSeconds` ago. Returns a function that gives the count back,
   * for a submission that then fails and stores nothing.
   */
  take(keys: FloodKeys, intervalSeconds: number): Promise<() => Promise<void>>;
}

const NOTHING_TO_REFUND = async () => {};

/**
 * Both keys in ONE script, one round trip: when either is taken, nothing is counted and the longer wait
 * (ms) is returned; otherwise both are taken with the caller's token, for the interval (0 returned).
 * "0" is a count given back by the rate limiter this replaced: free.
 */
const TAKE = `
local wait = 0
for _, key in ipairs(KEYS) do
  local v = redis.call('GET', key)
  if v and v ~= '0' then
    local ttl = redis.call('PTTL', key)
    if ttl > wait then wait = ttl end
  end
end
if wait > 0 then return wait end
for _, key in ipairs(KEYS) do redis.call('SET', key, ARGV[2], 'EX', ARGV[1]) end
return 0
`;

/** Gives back the keys this take still holds: one that expired and was taken by another comment is left alone. */
const GIVE_BACK = `
for _, key in ipairs(KEYS) do
  if redis.call('GET', key) == ARGV[1] then redis.call('DEL', key) end
end
return 0
`;

type FloodRedis = Redis & {
  floodTake(keys: number, ...args: (string | number)[]): Promise<number>;
  floodGiveBack(keys: number, ...args: (string | number)[]): Promise<number>;
};

/** The same rules in this process's memory: embedded mode, and while Redis is unreachable. */
function memoryStore() {
  const held = new Map<string, { token: string; until: number }>();
  const SWEEP_AT = 10_000;
  return {
    take(keys: string[], seconds: number, token: string): number {
      const now = Date.now();
      let wait = 0;
      for (const key of keys) {
        const h = held.get(key);
        if (h && h.until > now) wait = Math.max(wait, h.until - now);
      }
      if (wait > 0) return wait;
      if (held.size >= SWEEP_AT) for (const [key, h] of held) if (h.until <= now) held.delete(key);
      for (const key of keys) held.set(key, { token, until: now + seconds * 1000 });
      return 0;
    },
    giveBack(keys: string[], token: string): void {
      for (const key of keys) if (held.get(key)?.token === token) held.delete(key);
    },
  };
}

export function createFloodControl(deps: {
  redis: Redis | null;
  redisPrefix: string;
  log: Logger;
  secret: string;
}): FloodControl {
  const prefix = `${deps.redisPrefix}:flood:`;
  const memory = memoryStore();
  const redis = deps.redis as FloodRedis | null;
  if (redis) {
    redis.defineCommand('floodTake', { lua: TAKE });
    redis.defineCommand('floodGiveBack', { lua: GIVE_BACK });
  }
  const clientHash = (client: string) =>
    createHmac('sha256', deps.secret).update(`flood-ip:${client}`).digest('hex').slice(0, 32);
  // A take's token: only the take that set a key may give it back.
  const processTag = Math.random().toString(36).slice(2, 10);
  let seq = 0;

  /** Redis when it is connected, else memory; Redis failing mid-call falls back to memory too. */
  async function takeAll(keys: string[], seconds: number, token: string): Promise<{ wait: number; inRedis: boolean }> {
    if (redis && redis.status === 'ready') {
      try {
        return { wait: Number(await redis.floodTake(keys.length, ...keys, seconds, token)), inRedis: true };
      } catch (err) {
        deps.log.debug({ err }, 'flood control falls back to memory');
      }
    }
    return { wait: memory.take(keys, seconds, token), inRedis: false };
  }

  return {
    async take(keys, intervalSeconds) {
      if (intervalSeconds <= 0) return NOTHING_TO_REFUND;
      const client = clientKey(keys.ip);
      const taken = [
        `${prefix}${keys.siteId}:author:${keys.emailHash}`,
        ...(client ? [`${prefix}${keys.siteId}:ip:${clientHash(client)}`] : []),
      ];
      const token = `${processTag}:${++seq}`;
      const { wait, inRedis } = await takeAll(taken, intervalSeconds, token);
      if (wait > 0) {
        // Nothing was counted for a refused comment: only stored comments count.
        throw new RateLimitedError(
          `Please wait ${Math.max(1, Math.ceil(wait / 1000))} s before posting another comment.`,
          wait / 1000,
          'flood',
        );
      }
      return async () => {
        if (!inRedis) return memory.giveBack(taken, token);
        try {
          await redis!.floodGiveBack(taken.length, ...taken, token);
        } catch (err) {
          deps.log.warn({ err }, 'flood control refund failed');
        }
      };
    },
  };
}
