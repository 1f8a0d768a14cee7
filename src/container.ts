// The composition root: builds every store and service from the Config, once per process.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { type AdminService, createAdminService } from './admin/admin.service.ts';
import { type AlertService, createAlertService } from './alerts/alert.service.ts';
import { type ArticleService, createArticleService } from './articles/article.service.ts';
import { type AuditService, createAuditService } from './audit/audit.service.ts';
import { createDeviceCookies } from './auth/device-cookie.ts';
import { createLoginService, type LoginService } from './auth/login.service.ts';
import { createLoginLimiter } from './auth/login-limiter.ts';
import { createSessionService, type SessionService } from './auth/session.service.ts';
import { createTokenService, type TokenService } from './auth/token.service.ts';
import { createUserService, type UserService } from './auth/user.service.ts';
import { type BanService, createBanService } from './bans/ban.service.ts';
import { findComment } from './comments/comment.repository.ts';
import { createFloodControl } from './comments/flood-control.ts';
import { createCommentSubmission } from './comments/submit-comment.service.ts';
import { createThreadService } from './comments/thread.service.ts';
import { createThreadCache, type ThreadCache } from './comments/thread-cache.ts';
import type { Config } from './config/env.ts';
import { createDatabase, type DatabaseHandle } from './db/database.ts';
import { migrateToLatest } from './db/migrate.ts';
import type { EventRow } from './db/schema.ts';
import type { ChangeNotifier } from './events/change-notifier.ts';
import { runEventsJob } from './events/events-job.ts';
import { createLocalFeed, createRedisFeed } from './events/live-feed.ts';
import { countUndispatched, findEvent, keepEventsInMemory, markDispatched } from './events/outbox.repository.ts';
import { createRelay, type Relay } from './events/relay.ts';
import { createBullmqQueue } from './jobs/bullmq-queue.ts';
import { createDatabaseQueue } from './jobs/database-queue.ts';
import { type JobHandler, PermanentJobError, type QueueBackend, type QueueName } from './jobs/job-queue.ts';
import { agreeOnQueue, queueIdentity } from './jobs/queue-agreement.ts';
import { createRetryPolicy } from './jobs/retry-policy.ts';
import { createMailLog, type MailLog } from './mail/mail-log.service.ts';
import { createMailer, type Mailer } from './mail/mailer.ts';
import { createMailTransport, describeMailMode, keptFromAddress } from './mail/transport-factory.ts';
import { createMaintenanceJob, MAINTENANCE_SCHEDULE } from './maintenance/maintenance.job.ts';
import { createBanReach } from './moderation/ban-reach.ts';
import { createModerationService } from './moderation/moderation.service.ts';
import { createMetrics, type Metrics } from './observability/metrics.ts';
import { createErasureService, type ErasureService } from './privacy/erasure.service.ts';
import { erasureSteps } from './privacy/erasure-steps.ts';
import { createManageLimits } from './readers/manage-limits.ts';
import { createManageLinkJob } from './readers/manage-link.job.ts';
import { createReaderData, type ReaderData } from './readers/reader-data.service.ts';
import { createReportService, type ReportService, transparencyOf } from './reports/report.service.ts';
import { createReportLimiter } from './reports/report-limiter.ts';
import { createLiveQueue, type LiveQueue } from './review/live-queue.service.ts';
import { createReviewService, type ReviewService } from './review/review.service.ts';
import { createLogger } from './shared/logger.ts';
import { createRedis, waitUntilReady } from './shared/redis.ts';
import { createSiteService } from './sites/site.service.ts';
import { createLearnFromEventJob } from './spam-learning/learn-from-event.job.ts';
import { createSpamAdmin, type SpamAdmin } from './spam-learning/spam-admin.service.ts';
import { createSpamModels, type SpamModels } from './spam-learning/spam-models.ts';
import { createSpamTraining, type SpamTraining, type TrainingOptions } from './spam-learning/spam-training.service.ts';
import { createReplyDigests } from './subscriptions/reply-digest.job.ts';
import { createSubscriptionService, type SubscriptionService } from './subscriptions/subscription.service.ts';
import { createSubscriptionMailJobs, type SubscriptionsOfEvents } from './subscriptions/subscription-mail.job.ts';
import { createExportService, type ExportService } from './transfer/export.service.ts';
import { createImportService, type ImportService } from './transfer/import.service.ts';
import { createImportJobService, type ImportJobService } from './transfer/import-job.service.ts';
import { createDeliverWebhookJob } from './webhooks/deliver-webhook.job.ts';
import { createProcessEventJob, readEventsOf } from './webhooks/process-event.job.ts';
import { createSecretBox } from './webhooks/secret-box.ts';
import { createWebhookService } from './webhooks/webhook.service.ts';

export interface ContainerOptions {
  migrate?: boolean;
  log?: Logger;
  /** Webhook retry delays (tests use milliseconds instead of hours). */
  webhookScheduleMs?: number[];
  /** Webhook request timeout. */
  webhookTimeoutMs?: number;
  /** The learned spam model's bound and pruning interval (tests use small ones). */
  spamTraining?: TrainingOptions;
  /** The live queue's heartbeat (tests see a session's end within a second). */
  liveHeartbeatMs?: number;
  /** SMTP timeouts (tests make an outage show in seconds). */
  smtpTimeouts?: { connectionMs?: number; greetingMs?: number; socketMs?: number };
}

export interface Container {
  config: Config;
  log: Logger;
  database: DatabaseHandle;
  /** Request-path Redis connection (fails fast); null in embedded mode. */
  redis: Redis | null;
  secretKey: string;
  queue: QueueBackend;
  relay: Relay;
  metrics: Metrics;
  threadCache: ThreadCache;
  sites: ReturnType<typeof createSiteService>;
  /** Articles as admins manage them (URL and title). */
  articles: ArticleService;
  submission: ReturnType<typeof createCommentSubmission>;
  threads: ReturnType<typeof createThreadService>;
  moderation: ReturnType<typeof createModerationService>;
  /** Deletion at an author's request and erasure of an author: every step in privacy/erasure-steps.ts. */
  erasure: ErasureService;
  webhooks: ReturnType<typeof createWebhookService>;
  /** The review queue, comment detail and moderation log as moderators read them. */
  review: ReviewService;
  /** Status changes pushed to every open queue tab (Redis pub/sub across API processes, or in-process). */
  liveQueue: LiveQueue;
  bans: BanService;
  /** Reader reports of published comments: weighted, queued for moderators, hidden at the site's threshold. */
  reports: ReportService;
  /** Reader subscriptions to replies and threads, double opt-in; verified authors. */
  subscriptions: SubscriptionService;
  /** Readers' own data: "Manage my comments" by signed link, and the admin's export of an author. */
  readers: ReaderData;
  /** Sends mail (from workers only): SMTP, or kept in the database in the embedded default. */
  mailer: Mailer;
  /** What the dashboard's Mail page lists: kept mail, or the log of mail sent through SMTP. */
  mailLog: MailLog;
  /** Moderator alerts about newly held comments: immediate, hourly, daily or off. */
  alerts: AlertService;
  /** The service's public origin, for links in mail. */
  baseUrl: string;
  users: UserService;
  sessions: SessionService;
  tokens: TokenService;
  login: LoginService;
  admin: AdminService;
  /** The audit log of admin actions; verbs record into it inside their own transaction. */
  audit: AuditService;
  /** Imports from other systems' exports (and our own). */
  imports: ImportService;
  /** A site's articles and comments, streamed out (jsonl or WXR). */
  exports: ExportService;
  /** Imports uploaded through the admin API, run in the background with their progress kept. */
  importJobs: ImportJobService;
  /** The learned spam model: training (the worker's), rebuild, reset and stats. */
  spamTraining: SpamTraining;
  /** This process's snapshots of the learned spam models (the request path reads them). */
  spamModels: SpamModels;
  /** The learned spam model as admins manage it: stats, retrain, reset. */
  spamAdmin: SpamAdmin;
  /** Set when the process begins to stop: readiness fails at once so load balancers move away. */
  lifecycle: { stopping: boolean };
  /** Runs the background workers and maintenance schedules in this process. */
  startWorkers(): Promise<void>;
  close(): Promise<void>;
}

/** In embedded mode the key is generated on first start and kept in DATA_DIR, so identities survive restarts. */
function resolveSecretKey(config: Config): string {
  if (config.secretKey) return config.secretKey;
  const file = path.join(config.dataDir, 'secret.key');
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    fs.mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
    const key = randomBytes(32).toString('hex');
    fs.writeFileSync(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
    return key;
  }
}

export async function createContainer(config: Config, options: ContainerOptions = {}): Promise<Container> {
  const log = options.log ?? createLogger(config.logLevel);
  const secretKey = resolveSecretKey(config);
  const database = createDatabase(config.database);
  const { db } = database;
  if (options.migrate ?? true) {
    const applied = await migrateToLatest(db);
    if (applied.length) log.info({ migrations: applied }, 'database migrated');
  }
  try {
    // Before anything can write an event: it must reach the queue the deployment's workers read.
    await agreeOnQueue(db, queueIdentity(config));
  } catch (err) {
    await database.close();
    throw err;
  }
  const redis = config.redisUrl ? createRedis(config.redisUrl, 'command', log) : null;
  const retry = createRetryPolicy(options.webhookScheduleMs ? { webhookScheduleMs: options.webhookScheduleMs } : {});
  // BullMQ connects on a connection of its own (bullmq-queue.ts), while this one comes up.
  const [queue] = await Promise.all([
    config.redisUrl && redis
      ? createBullmqQueue({
          redisUrl: config.redisUrl,
          prefix: config.redisPrefix,
          log,
          retry,
          lockDurationMs: config.jobLockSeconds * 1000,
        })
      : createDatabaseQueue({
          db,
          log,
          retry,
          lockMs: config.jobLockSeconds * 1000,
          exclusive: database.kind === 'pglite',
          // Embedded: events are handed to the workers in memory, the outbox row their durable record.
          ...(database.kind === 'pglite'
            ? { memory: { queue: 'events' as const, settled: (ids: string[]) => markDispatched(db, ids) } }
            : {}),
        }),
    redis ? waitUntilReady(redis, 2_000) : null,
  ]);
  const flood = createFloodControl({ redis, redisPrefix: config.redisPrefix, log, secret: secretKey });
  // PGlite lives in this process alone: nothing else changes its events or webhook endpoints.
  if (database.kind === 'pglite') keepEventsInMemory(db);
  const producer = () => queue.producer;
  const relay = createRelay({
    db,
    producer: queue.producer,
    log,
    settledByWorkers: !redis && database.kind === 'pglite',
  });
  const threadCache = createThreadCache(redis, config.redisPrefix, log);
  const redisUrl = config.redisUrl;
  const liveQueue = createLiveQueue({
    db,
    log,
    ...(options.liveHeartbeatMs ? { heartbeatMs: options.liveHeartbeatMs } : {}),
    feed:
      redisUrl && redis
        ? createRedisFeed({
            publisher: redis,
            connect: () => createRedis(redisUrl, 'subscriber', log),
            prefix: config.redisPrefix,
            log,
          })
        : createLocalFeed(),
  });
  const notifier: ChangeNotifier = {
    async committed(change) {
      if (change.moves) liveQueue.announce(change.siteId, change.moves);
      if (change.threadChanged) await threadCache.invalidate(change.siteId, change.articleId);
      if (change.eventIds) relay.push(change.eventIds);
      else relay.kick();
    },
  };
  const sites = createSiteService(db);
  const spamModels = createSpamModels({ db, secret: secretKey });
  const spamTraining = createSpamTraining({
    db,
    secret: secretKey,
    onChange: () => spamModels.changed(),
    ...(options.spamTraining ? { options: options.spamTraining } : {}),
  });
  const baseUrl = config.publicUrl ?? `http://localhost:${config.port}`;
  const subscriptions = createSubscriptionService({ db, secret: secretKey });
  const mailer = createMailer({
    db,
    transport: createMailTransport(config.mail, {
      db,
      publicUrl: config.publicUrl,
      ...(options.smtpTimeouts ? { smtp: { timeouts: options.smtpTimeouts } } : {}),
    }),
    from: config.mail.from ?? keptFromAddress(config.mail, config.publicUrl),
  });
  const subscriptionMailDeps = {
    db,
    sites,
    subscriptions,
    mailer,
    producer,
    secret: secretKey,
    baseUrl,
    authorHashOf: async (id: string) => (await findComment(db, id))?.email_hash ?? null,
  };
  const subscriptionMail = createSubscriptionMailJobs(subscriptionMailDeps);
  const sendReplyDigests = createReplyDigests(subscriptionMailDeps);
  const audit = createAuditService(db);
  const box = createSecretBox(secretKey);
  const webhooks = createWebhookService({ db, sites, box, producer, allowPrivate: config.webhookAllowPrivate });
  const sessions = createSessionService({ db, secret: secretKey });
  const limiter = createLoginLimiter({ redis, prefix: config.redisPrefix, log, secret: secretKey });
  const metrics = createMetrics();
  metrics.setSources({
    queueCounts: () => queue.counts(),
    outboxBacklog: () => countUndispatched(db),
    reportTransparency: () => transparencyOf(db, null),
    pool: () =>
      database.pool
        ? { total: database.pool.totalCount, idle: database.pool.idleCount, waiting: database.pool.waitingCount }
        : null,
  });
  /** Counts each job run's outcome per queue. */
  const instrument =
    (name: QueueName, handler: JobHandler): JobHandler =>
    async (job) => {
      try {
        await handler(job);
        metrics.jobFinished(name, 'completed');
      } catch (err) {
        metrics.jobFinished(
          name,
          err instanceof PermanentJobError || job.attemptsMade + 1 >= job.maxAttempts ? 'failed' : 'retry',
        );
        throw err;
      }
    };
  const imports = createImportService({ db, sites, notifier, secret: secretKey });
  const importJobs = createImportJobService({ db, sites, imports, audit, producer, log });
  const users = createUserService({ db, audit });
  const bans = createBanService({ db, sites, audit, secret: secretKey, reach: createBanReach({ notifier }) });
  const review = createReviewService({ db, subscriptions, bans, trustProxy: config.trustProxy });
  const reports = createReportService({
    db,
    sites,
    secret: secretKey,
    notifier,
    limiter: createReportLimiter({ redis, redisPrefix: config.redisPrefix, log }),
  });
  const alerts = createAlertService({ db, users, sites, review, reports, mailer, producer, baseUrl });
  const erasure = createErasureService({
    db,
    audit,
    notifier,
    secret: secretKey,
    steps: erasureSteps({ sites, spam: spamTraining }),
  });
  const readers = createReaderData({
    db,
    secret: secretKey,
    sites,
    erasure,
    subscriptions,
    audit,
    limits: createManageLimits({ redis, prefix: config.redisPrefix, secret: secretKey }),
    producer,
  });
  let workersStarted = false;
  let stopSweeper = () => {};

  return {
    config,
    log,
    database,
    redis,
    secretKey,
    queue,
    relay,
    metrics,
    threadCache,
    sites,
    articles: createArticleService({ db, sites, audit, notifier }),
    submission: createCommentSubmission({
      db,
      sites,
      secret: secretKey,
      notifier,
      flood,
      metrics,
      learnedModel: (siteId) => spamModels.modelFor(siteId),
      subscriptions,
    }),
    threads: createThreadService({ db, sites, cache: threadCache, secret: secretKey }),
    moderation: createModerationService({ db, notifier }),
    erasure,
    readers,
    webhooks,
    review,
    liveQueue,
    bans,
    reports,
    subscriptions,
    mailer,
    mailLog: createMailLog({ db, mode: mailer.transport.kind }),
    alerts,
    baseUrl,
    users,
    sessions,
    tokens: createTokenService({ db, audit }),
    login: createLoginService({ db, sessions, limiter, devices: createDeviceCookies(secretKey) }),
    admin: createAdminService({ db, sites, webhooks, audit }),
    audit,
    imports,
    exports: createExportService({ db, sites }),
    importJobs,
    lifecycle: { stopping: false },
    spamTraining,
    spamModels,
    spamAdmin: createSpamAdmin({ sites, training: spamTraining, audit }),

    async startWorkers() {
      if (workersStarted) return;
      workersStarted = true;
      log.info(describeMailMode(config.mail));
      // An "events" job (one lifecycle event, or a batch of them: see events/relay.ts) reads its events
      // once (marking them dispatched) and hands each row to each step in turn: the learned spam model,
      // the webhooks, then the subscriber mail and the moderator alerts, which only queue "mail" jobs
      // (those send, so an SMTP outage delays only them). Every step is idempotent, so the job retried
      // after a failure in any step runs them all again safely.
      const learn = createLearnFromEventJob({ training: spamTraining });
      const processEvent = createProcessEventJob({
        db,
        producer,
        threadCache,
        cacheEndpoints: database.kind === 'pglite',
      });
      const mailSteps = async (event: EventRow, subscribers?: SubscriptionsOfEvents) => {
        await subscriptionMail.onEvent(event, subscribers);
        await alerts.onEvent(event);
      };
      const mailJobs: Record<string, JobHandler> = {
        // Queued by earlier versions, one per event: still run, so none queued before an upgrade is lost.
        event: async (job) => {
          const event = await findEvent(db, String(job.data.eventId ?? ''));
          if (event) await mailSteps(event);
        },
        alert: alerts.sendAlert,
        confirm: subscriptionMail.confirm,
        reply: subscriptionMail.reply,
        decision: subscriptionMail.decision,
        'manage-link': createManageLinkJob({ db, sites, mailer, secret: secretKey, baseUrl }),
      };
      await queue.startWorkers(
        {
          events: instrument('events', async (job) => {
            // A batched job's events are taken in one statement, their subscriptions read in two more (if
            // those fail, each event reads its own); one event that fails is handed over alone.
            const taken = await readEventsOf(db, job);
            const subscribers =
              taken.length > 1
                ? await subscriptionMail.preload(taken.map((t) => t.event)).catch(() => undefined)
                : undefined;
            await runEventsJob(
              job,
              taken,
              async (t) => {
                await learn(t.event);
                await processEvent(job, t);
                await mailSteps(t.event, subscribers);
              },
              producer,
            );
          }),
          mail: instrument('mail', async (job) => {
            const handler = mailJobs[job.name];
            if (!handler) throw new PermanentJobError(`unknown mail job ${job.name}`);
            await handler(job);
          }),
          webhooks: instrument(
            'webhooks',
            createDeliverWebhookJob({
              db,
              box,
              log,
              retry,
              metrics,
              allowPrivate: config.webhookAllowPrivate,
              ...(options.webhookTimeoutMs ? { timeoutMs: options.webhookTimeoutMs } : {}),
            }),
          ),
          maintenance: instrument(
            'maintenance',
            createMaintenanceJob({
              db,
              sites,
              relay,
              producer,
              log,
              sendDigests: (now) => alerts.sendDigests(now),
              sendReplyDigests,
              purgeUploads: () => importJobs.purgeUploads(),
            }),
          ),
          imports: instrument('imports', importJobs.process),
        },
        { concurrency: { events: 5, webhooks: 20, maintenance: 1, mail: 5, imports: 1 } },
      );
      await scheduleMaintenance(queue, log);
      // The outbox sweeper must not depend on the queue it feeds (Redis may have lost its schedules),
      // so every worker process also sweeps on a plain timer; duplicates are no-ops.
      const sweeper = setInterval(() => void relay.sweep(), MAINTENANCE_SCHEDULE['sweep-outbox']);
      sweeper.unref();
      stopSweeper = () => clearInterval(sweeper);
    },

    async close() {
      stopSweeper();
      await liveQueue.close();
      await relay.drain().catch(() => {});
      await queue.close();
      await mailer.transport.close();
      threadCache.close();
      redis?.disconnect();
      await database.close();
    },
  };
}

/** Registers the repeatable maintenance jobs; if the queue is unreachable now, keeps trying. */
async function scheduleMaintenance(queue: QueueBackend, log: Logger): Promise<void> {
  const pending = new Map(Object.entries(MAINTENANCE_SCHEDULE));
  const attempt = async () => {
    for (const [name, every] of pending) {
      try {
        await queue.schedule(name, every);
        pending.delete(name);
      } catch (err) {
        log.warn({ err: (err as Error).message, name }, 'could not schedule maintenance yet; will retry');
        return;
      }
    }
  };
  await attempt();
  // Keep trying what failed, and re-register everything now and then: schedules live in the queue's
  // store, and a Redis restarted without persistence forgets them. Registering is idempotent.
  const timer = setInterval(() => {
    if (pending.size === 0) for (const [name, every] of Object.entries(MAINTENANCE_SCHEDULE)) pending.set(name, every);
    void attempt();
  }, 60_000);
  timer.unref();
}
