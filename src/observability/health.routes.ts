// /healthz (the process answers), /readyz (its stores answer and the schema is current), /metrics.
import { timingSafeEqual } from 'node:crypto';
import { Hono, type MiddlewareHandler } from 'hono';
import type { Redis } from 'ioredis';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { pendingMigrations } from '../db/migrate.ts';
import { problemResponse } from '../http/problem.ts';
import type { Metrics } from './metrics.ts';

const CHECK_TIMEOUT_MS = 2_000;

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    p,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref()),
  ]);
}

/** Operators who set METRICS_TOKEN keep readiness and metrics off the public internet. */
function operatorOnly(token: string | null): MiddlewareHandler {
  const expected = token ? Buffer.from(`Bearer ${token}`) : null;
  return async function requireMetricsToken(c, next) {
    if (expected) {
      const given = Buffer.from(c.req.header('authorization') ?? '');
      if (given.length !== expected.length || !timingSafeEqual(given, expected))
        return problemResponse(c, 401, 'This endpoint needs the operator token (METRICS_TOKEN).');
    }
    await next();
  };
}

/** What readiness looks at (the container has all of it). */
export interface HealthDeps {
  config: { metricsToken: string | null };
  lifecycle: { stopping: boolean };
  database: { db: Db };
  redis: Redis | null;
  metrics: Pick<Metrics, 'registry'>;
}

export function healthRoutes(container: HealthDeps) {
  const app = new Hono();
  const guard = operatorOnly(container.config.metricsToken);

  app.get('/healthz', (c) => c.json({ status: 'ok' }, 200, { 'cache-control': 'no-store' }));

  app.get('/readyz', guard, async (c) => {
    const checks: Record<string, string> = {};
    if (container.lifecycle.stopping) checks.process = 'stopping';
    try {
      await withTimeout(sql`select 1`.execute(container.database.db), CHECK_TIMEOUT_MS);
      const pending = await withTimeout(pendingMigrations(container.database.db), CHECK_TIMEOUT_MS);
      checks.database = 'ok';
      checks.migrations = pending.length === 0 ? 'ok' : `pending: ${pending.join(', ')}`;
    } catch (err) {
      checks.database = `unreachable: ${(err as Error).message}`;
    }
    if (container.redis) {
      try {
        await withTimeout(container.redis.ping(), CHECK_TIMEOUT_MS);
        checks.redis = 'ok';
      } catch (err) {
        checks.redis = `unreachable: ${(err as Error).message}`;
      }
    }
    const ready = Object.values(checks).every((v) => v === 'ok');
    return c.json({ status: ready ? 'ready' : 'unavailable', checks }, ready ? 200 : 503, {
      'cache-control': 'no-store',
      ...(ready ? {} : { 'retry-after': '5' }),
    });
  });

  app.get('/metrics', guard, async (c) => {
    const registry = container.metrics.registry;
    return c.body(await registry.metrics(), 200, { 'content-type': registry.contentType, 'cache-control': 'no-store' });
  });

  return app;
}
