// The only module that reads the environment. Everything else receives a frozen Config.
import path from 'node:path';
import addressparser from 'nodemailer/lib/addressparser';
import { z } from 'zod';

const booleanFlag = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off', ''])
  .transform((v) => ['1', 'true', 'yes', 'on'].includes(v));

const postgresUrl = z
  .string()
  .refine((v) => /^postgres(ql)?:\/\//.test(v), 'must be a postgres:// or postgresql:// URL');

const redisUrl = z.string().refine((v) => /^rediss?:\/\//.test(v), 'must be a redis:// or rediss:// URL');

const smtpUrl = z.string().refine((v) => {
  try {
    const u = new URL(v);
    return (u.protocol === 'smtp:' || u.protocol === 'smtps:') && u.hostname !== '';
  } catch {
    return false;
  }
}, 'must be an smtp:// or smtps:// URL with a host (e.g. smtps://user:pass@mail.example.com)');

// C0 and C1 controls and DEL: a CR or LF in MAIL_FROM would start a new header in every mail sent.
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/;

/** MAIL_FROM as a mailbox: `noreply@example.com` or `Example News <noreply@example.com>`, exactly one. */
function parseMailFrom(value: string): { name: string | null; address: string } | string {
  if (CONTROL.test(value)) return 'must not contain control characters or line breaks';
  const parsed = addressparser(value);
  const only = parsed.length === 1 ? parsed[0] : undefined;
  if (!only || 'group' in only || !only.address) return 'must be one address such as "Example <noreply@example.com>"';
  if (!z.email().safeParse(only.address).success) return `"${only.address}" is not a valid email address`;
  return { name: only.name ? only.name : null, address: only.address };
}

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: postgresUrl.optional(),
  REDIS_URL: redisUrl.optional(),
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_-]{1,64}$/, 'must be 1-64 letters, digits, ":", "_" or "-"')
    .default('comments'),
  DATA_DIR: z.string().min(1).default('./data'),
  SECRET_KEY: z.string().min(32, 'must be at least 32 characters (try: openssl rand -hex 32)').optional(),
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  ADMIN_EMAIL: z.email().optional(),
  ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
  TRUST_PROXY: booleanFlag.default(false),
  WEBHOOK_ALLOW_PRIVATE: booleanFlag.default(false),
  SMTP_URL: smtpUrl.optional(),
  MAIL_FROM: z.string().max(320).optional(),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  JOB_LOCK_SECONDS: z.coerce.number().int().min(5).max(600).default(30),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DEMO: booleanFlag.optional(),
  LOG_FORMAT: z.enum(['auto', 'json', 'pretty']).default('auto'),
});

export type DatabaseConfig =
  | { kind: 'postgres'; url: string; schema?: string }
  | { kind: 'pglite'; dataDir: string | null };

export interface MailConfig {
  /** Null: no SMTP, mail is kept in the database and shown to admins (the embedded default). */
  smtpUrl: string | null;
  /** The From mailbox; required with SMTP_URL, optional otherwise (kept mail then uses a local default). */
  from: { name: string | null; address: string } | null;
}

export interface Config {
  port: number;
  host: string;
  database: DatabaseConfig;
  redisUrl: string | null;
  /** Prefix of every Redis key and BullMQ queue, so several deployments (or test files) can share a server. */
  redisPrefix: string;
  dataDir: string;
  /** Null in embedded mode until the composition root loads or creates the key kept in DATA_DIR. */
  secretKey: string | null;
  publicUrl: string | null;
  admin: { email: string; password: string } | null;
  mail: MailConfig;
  trustProxy: boolean;
  webhookAllowPrivate: boolean;
  /** When set, /metrics and /readyz require `Authorization: Bearer <token>`. */
  metricsToken: string | null;
  /** How long a running job may go without its worker's heartbeat before another worker takes it over. */
  jobLockSeconds: number;
  logLevel: string;
  /**
   * Seed the demo site (localhost origins, flood control off) and serve its article at `/`. On in the
   * embedded default only, unless DEMO says otherwise: a production database must not get a public demo site.
   */
  demo: boolean;
  /** `auto`: readable lines when standard output is a terminal, JSON otherwise (files, log collectors). */
  logFormat: 'auto' | 'json' | 'pretty';
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty strings (common in .env files and compose) mean "unset".
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if (Boolean(e.ADMIN_EMAIL) !== Boolean(e.ADMIN_PASSWORD)) {
    throw new ConfigError('Invalid configuration:\n  ADMIN_EMAIL and ADMIN_PASSWORD must be set together');
  }
  if (e.DATABASE_URL && !e.SECRET_KEY) {
    // With a shared database several processes must agree on the key; a generated one would differ per machine.
    throw new ConfigError(
      'Invalid configuration:\n  SECRET_KEY: required when DATABASE_URL is set (try: openssl rand -hex 32)',
    );
  }
  const mailFrom = e.MAIL_FROM === undefined ? null : parseMailFrom(e.MAIL_FROM);
  if (typeof mailFrom === 'string') throw new ConfigError(`Invalid configuration:\n  MAIL_FROM: ${mailFrom}`);
  if (e.SMTP_URL && !mailFrom) {
    // Without it every mail would go out from an address the SMTP server will not vouch for.
    throw new ConfigError(
      'Invalid configuration:\n  MAIL_FROM: required when SMTP_URL is set (e.g. MAIL_FROM="Example News <noreply@example.com>")',
    );
  }
  const dataDir = path.resolve(e.DATA_DIR);
  const config: Config = {
    port: e.PORT,
    host: e.HOST,
    database: e.DATABASE_URL
      ? ({ kind: 'postgres', url: e.DATABASE_URL } as const)
      : ({ kind: 'pglite', dataDir: path.join(dataDir, 'pglite') } as const),
    redisUrl: e.REDIS_URL ?? null,
    redisPrefix: e.REDIS_PREFIX,
    dataDir,
    secretKey: e.SECRET_KEY ?? null,
    publicUrl: e.PUBLIC_URL ? e.PUBLIC_URL.replace(/\/+$/, '') : null,
    admin:
      e.ADMIN_EMAIL && e.ADMIN_PASSWORD ? { email: e.ADMIN_EMAIL.toLowerCase(), password: e.ADMIN_PASSWORD } : null,
    mail: Object.freeze({ smtpUrl: e.SMTP_URL ?? null, from: mailFrom ? Object.freeze(mailFrom) : null }),
    trustProxy: e.TRUST_PROXY,
    webhookAllowPrivate: e.WEBHOOK_ALLOW_PRIVATE,
    jobLockSeconds: e.JOB_LOCK_SECONDS,
    metricsToken: e.METRICS_TOKEN ?? null,
    logLevel: e.LOG_LEVEL,
    demo: e.DEMO ?? !e.DATABASE_URL,
    logFormat: e.LOG_FORMAT,
  };
  return Object.freeze(config);
}
