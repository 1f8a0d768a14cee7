// What an operator needs on the first screen after `npm start`: where things are, whether anyone can
// sign in yet, and whether Redis is set up the way the queue needs it.
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Config } from '../config/env.ts';
import type { Container } from '../container.ts';
import { mailLinkWarning } from '../mail/mail-links.ts';

export interface StartUrls {
  dashboard: string;
  /** The dashboard's Mail page: kept mail without SMTP, the log of sent mail with it. */
  mail: string;
  docs: string;
  /** Null when the demo article is not served (a production deployment without DEMO=true). */
  demo: string | null;
}

export function startUrls(base: string, demo: boolean): StartUrls {
  return {
    dashboard: `${base}/dashboard`,
    mail: `${base}/dashboard/mail`,
    docs: `${base}/docs`,
    demo: demo ? `${base}/` : null,
  };
}

const CREATE_ADMIN_HINT =
  "no admin account yet: start with ADMIN_EMAIL=you@example.com ADMIN_PASSWORD='at least 12 characters', " +
  'or run: printf \'%s\' "$PASSWORD" | npm run cli -- users:create --email you@example.com --role admin';

/**
 * What is known at start about an untrusted proxy: this server speaks plain HTTP, so a PUBLIC_URL on
 * https means something terminates TLS in front of it, and with TRUST_PROXY off every reader then counts
 * as that proxy's address. (Requests that carry proxy headers are warned about as they come: see
 * http/untrusted-proxy.ts.)
 */
function untrustedProxyHint(config: Pick<Config, 'publicUrl' | 'trustProxy'>): string | null {
  if (config.trustProxy || !config.publicUrl?.startsWith('https:')) return null;
  return (
    'PUBLIC_URL is https, so a proxy serves this plain-HTTP server, but TRUST_PROXY is off: every reader ' +
    "counts as the proxy's address (flood control, sign-in throttling, bans). Set TRUST_PROXY=true."
  );
}

/**
 * The banner: one log line (JSON stays machine-readable; the pretty output shows it as text), with how
 * to create the first admin while nobody could sign in to the dashboard.
 */
export async function logBanner(container: Container, urls: StartUrls): Promise<void> {
  const users = await container.users.list();
  const adminMissing = !users.some((u) => u.role === 'admin' && !u.disabled);
  const proxyHint = untrustedProxyHint(container.config);
  const linkWarning = mailLinkWarning({ ...container.config.mail, ...container.config });
  const lines = [
    ...(urls.demo ? [`demo article  ${urls.demo}`] : []),
    `dashboard     ${urls.dashboard}`,
    container.mailLog.mode === 'kept'
      ? `mail          no SMTP_URL set: mail is kept for the dashboard at ${urls.mail}`
      : `mail          goes out via SMTP; the log is at ${urls.mail}`,
    `API docs      ${urls.docs}`,
    ...(adminMissing ? [CREATE_ADMIN_HINT] : []),
    ...(proxyHint ? [proxyHint] : []),
    ...(linkWarning ? [`WARNING: ${linkWarning}`] : []),
  ];
  container.log.info(
    { urls, adminMissing, untrustedProxy: proxyHint !== null },
    `comment service ready\n  ${lines.join('\n  ')}`,
  );
}

/** `field:value` lines of an INFO section. */
function infoField(info: string, field: string): string | null {
  const m = new RegExp(`^${field}:(.*)$`, 'm').exec(info);
  return m ? m[1]!.trim() : null;
}

/**
 * What is wrong with this Redis for BullMQ: an eviction policy other than noeviction lets Redis drop
 * queued jobs and their locks under memory pressure; without appendonly a Redis restart loses the jobs
 * written since its last snapshot. Read from INFO, which managed services allow where CONFIG is not.
 */
export function redisSetupProblems(memoryInfo: string, persistenceInfo: string): string[] {
  const problems: string[] = [];
  const policy = infoField(memoryInfo, 'maxmemory_policy');
  if (policy && policy !== 'noeviction')
    problems.push(
      `Redis maxmemory-policy is ${policy}: BullMQ needs noeviction, or Redis may evict queued jobs under memory pressure (set maxmemory-policy noeviction)`,
    );
  if (infoField(persistenceInfo, 'aof_enabled') === '0')
    problems.push(
      'Redis runs without appendonly: a Redis restart loses the jobs queued since its last snapshot (set appendonly yes)',
    );
  return problems;
}

export async function warnAboutRedis(redis: Redis, log: Logger): Promise<void> {
  try {
    const [memory, persistence] = await Promise.all([redis.info('memory'), redis.info('persistence')]);
    for (const problem of redisSetupProblems(memory, persistence)) log.warn(problem);
  } catch (err) {
    log.warn({ err: (err as Error).message }, 'could not read the Redis configuration (INFO) to check it');
  }
}
