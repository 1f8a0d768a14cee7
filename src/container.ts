// The composition root: builds every store and service from the Config, once per process.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Config } from './config/env.ts';
import { createDatabase, type DatabaseHandle } from './db/database.ts';
import { migrateToLatest } from './db/migrate.ts';
import { createFloodControl } from './comments/flood-control.ts';
import { createCommentSubmission } from './comments/submit-comment.service.ts';
import { createThreadService } from './comments/thread.service.ts';
import { createModerationService } from './moderation/moderation.service.ts';
import { createLogger } from './shared/logger.ts';
import { createRedis, waitUntilReady } from './shared/redis.ts';
import { createSiteService } from './sites/site.service.ts';

export interface Container {
  config: Config;
  log: Logger;
  database: DatabaseHandle;
  /** Request-path Redis connection (fails fast); null in embedded mode. */
  redis: Redis | null;
  secretKey: string;
  sites: ReturnType<typeof createSiteService>;
  submission: ReturnType<typeof createCommentSubmission>;
  threads: ReturnType<typeof createThreadService>;
  moderation: ReturnType<typeof createModerationService>;
  close(): Promise<void>;
}

/** In embedded mode the key is generated on first start and kept in DATA_DIR, so identities survive restarts. */
export function resolveSecretKey(config: Config): string {
  if (config.secretKey) return config.secretKey;
  const file = path.join(config.dataDir, 'secret.key');
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    fs.mkdirSync(config.dataDir, { recursive: true });
    const key = randomBytes(32).toString('hex');
    fs.writeFileSync(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
    return key;
  }
}

export async function createContainer(config: Config, options: { migrate?: boolean; log?: Logger } = {}): Promise<Container> {
  const log = options.log ?? createLogger(config.logLevel);
  const secretKey = resolveSecretKey(config);
  const database = createDatabase(config.database);
  const { db } = database;
  if (options.migrate ?? true) {
    const applied = await migrateToLatest(db);
    if (applied.length) log.info({ migrations: applied }, 'database migrated');
  }
  const redis = config.redisUrl ? createRedis(config.redisUrl, 'command', log) : null;
  if (redis) await waitUntilReady(redis, 2_000);
  const sites = createSiteService(db);
  const flood = createFloodControl({ redis, redisPrefix: config.redisPrefix, log });
  return {
    config,
    log,
    database,
    redis,
    secretKey,
    sites,
    submission: createCommentSubmission({ db, sites, secret: secretKey, flood }),
    threads: createThreadService({ db, sites }),
    moderation: createModerationService({ db }),
    async close() {
      redis?.disconnect();
      await database.close();
    },
  };
}
