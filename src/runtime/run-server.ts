// Process lifecycle shared by the entry points: config, stores, HTTP, signals.

import { createApp } from '../app.ts';
import { cliForwardRoutes } from '../cli/forward.ts';
import { ConfigError, loadConfig } from '../config/env.ts';
import { createContainer } from '../container.ts';
import { acquireLock, DataDirBusyError } from '../db/data-dir-lock.ts';
import { QueueMismatchError } from '../jobs/queue-agreement.ts';
import { mailLinkWarning } from '../mail/mail-links.ts';
import { createLogger, resolveLogFormat } from '../shared/logger.ts';
import { ensureAdmin, ensureDemoSite } from './bootstrap.ts';
import { type RunningServer, startHttpServer } from './http-server.ts';
import { logBanner, startUrls, warnAboutRedis } from './start-report.ts';

export async function runServer(roles: { api: boolean; worker: boolean }): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const log = createLogger(config.logLevel, 1, resolveLogFormat(config.logFormat, process.stdout.isTTY === true));
  const embedded = config.database.kind === 'pglite';

  let lock: ReturnType<typeof acquireLock> | null = null;
  if (embedded) {
    try {
      lock = acquireLock(config.dataDir);
    } catch (err) {
      if (err instanceof DataDirBusyError) {
        log.fatal(err.message);
        process.exit(1);
      }
      throw err;
    }
  }

  let container: Awaited<ReturnType<typeof createContainer>>;
  try {
    container = await createContainer(config, { log });
  } catch (err) {
    lock?.release();
    if (err instanceof QueueMismatchError) log.fatal(err.message);
    else log.fatal({ err }, `could not open the database: ${(err as Error).message}`);
    process.exit(1);
  }

  // Every process that may send mail (API and worker) says it, at warn level, before anything else.
  const linkWarning = mailLinkWarning({ ...config.mail, ...config });
  if (linkWarning) log.warn({ setting: 'PUBLIC_URL' }, linkWarning);

  let server: RunningServer | null = null;
  if (roles.api) {
    const app = createApp(container);
    if (lock) app.route('/', cliForwardRoutes(container, lock.info.token));
    try {
      server = await startHttpServer(app, { port: config.port, host: config.host });
    } catch (err) {
      lock?.release();
      await container.close();
      log.fatal({ err }, `could not listen on port ${config.port}: ${(err as Error).message}`);
      process.exit(1);
    }
    lock?.setPort(server.port);
    if (config.demo) await ensureDemoSite(container, server.port);
    await ensureAdmin(container);
  }
  if (roles.worker) {
    await container.startWorkers();
    log.info({ queue: container.queue.kind }, 'workers started');
  } else {
    // API-only processes still hand new events to the queue right after commit; the workers'
    // sweeper covers anything they could not.
    log.info('workers not started in this process (run npm run start:worker)');
  }
  // Worker-only processes have no server holding the event loop open.
  const keepAlive = server ? null : setInterval(() => {}, 1 << 30);

  if (server)
    log.info({ port: server.port, roles }, `listening on ${config.publicUrl ?? `http://localhost:${server.port}`}`);
  if (server) {
    await logBanner(container, startUrls(config.publicUrl ?? `http://localhost:${server.port}`, config.demo));
  }
  if (container.redis) await warnAboutRedis(container.redis, log);
  if (embedded) {
    log.info(
      `embedded mode: PGlite database in ${config.dataDir}, in-process queue. ` +
        'For production set DATABASE_URL=postgres://… (and REDIS_URL=redis://…) to run on PostgreSQL and Redis.',
    );
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    container.lifecycle.stopping = true;
    // Open live-queue streams never end by themselves: end them first, or the server's close waits
    // out its whole timeout for them. Their tabs reconnect to another process or poll.
    container.liveQueue.stop();
    if (keepAlive) clearInterval(keepAlive);
    await server?.close(10_000);
    await container.close();
    lock?.release();
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}
