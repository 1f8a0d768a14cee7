// Row types of the database. They stay in the data layer: services return domain objects.
import type { ColumnType, Generated, Selectable } from 'kysely';
import type { ActorType } from '../domain/actor.ts';
import type { CommentStatus } from '../domain/comment-status.ts';
import type { ModerationMode } from '../domain/moderation-mode.ts';
import type { UserRole } from '../domain/principal.ts';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string, string>;

interface SitesTable {
  id: string;
  name: string;
  settings: Json<Record<string, unknown>>;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** How many times the site was saved (migration 0031): conditional saves name the one they read. */
  version: Generated<number>;
}

interface ArticlesTable {
  id: Generated<number>;
  site_id: string;
  external_id: string;
  url: string | null;
  title: string | null;
  closed_at: Date | null;
  published_count: Generated<number>;
  thread_version: Generated<number>;
  first_comment_at: Date | null;
  /** When an admin last edited the URL or title: comments never change them after that. */
  edited_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** The article's own moderation mode; null: the site's. */
  moderation_mode: ColumnType<ModerationMode | null, ModerationMode | null | undefined, ModerationMode | null>;
  /** When a moderator last reopened it: the site's close-after-days rule no longer applies. */
  reopened_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  created_at: Timestamp;
}

interface CommentsTable {
  id: string;
  site_id: string;
  article_id: number;
  parent_id: string | null;
  root_id: string;
  depth: number;
  name: string;
  email: string;
  email_hash: string;
  ip: string | null;
  user_agent: string | null;
  body: string;
  status: CommentStatus;
  reasons: Json<unknown[]>;
  created_at: Timestamp;
  updated_at: Timestamp;
  published_at: Date | null;
  /** The sequence number of the comment's last event (see events/outbox.repository.ts). */
  event_seq: Generated<number>;
  /** Where an imported comment came from ("wxr:1234"); null for comments posted here. */
  source_key: ColumnType<string | null, string | null | undefined, string | null>;
}

interface ModerationLogTable {
  id: Generated<string>;
  comment_id: string;
  site_id: string;
  actor_type: ActorType;
  actor_id: string;
  from_status: CommentStatus | null;
  to_status: CommentStatus;
  reasons: Json<unknown[]>;
  note: string | null;
  created_at: Timestamp;
}

interface IdempotencyKeysTable {
  site_id: string;
  key: string;
  fingerprint: string;
  status_code: number;
  response: Json<unknown>;
  created_at: Timestamp;
}

export interface Database {
  sites: SitesTable;
  articles: ArticlesTable;
  comments: CommentsTable;
  moderation_log: ModerationLogTable;
  idempotency_keys: IdempotencyKeysTable;
  events: EventsTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
  jobs: JobsTable;
  users: UsersTable;
  user_sites: UserSitesTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  bans: BansTable;
  audit_log: AuditLogTable;
  deployment_settings: DeploymentSettingsTable;
  import_jobs: ImportJobsTable;
  import_upload_chunks: ImportUploadChunksTable;
  spam_models: SpamModelsTable;
  spam_tokens: SpamTokensTable;
  spam_lessons: SpamLessonsTable;
  reports: ReportsTable;
  reporters: ReportersTable;
}

interface ImportJobsTable {
  id: string;
  site_id: string;
  format: string;
  status: 'uploading' | 'queued' | 'running' | 'completed' | 'failed';
  progress: ColumnType<Record<string, unknown>, string | undefined, string>;
  report: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  error: string | null;
  /** What the upload asked for (dry run, pingbacks, remap rules) and who asked: what the worker runs. */
  options: ColumnType<Record<string, unknown>, string | undefined, string>;
  total_bytes: ColumnType<number | null, number | null | undefined, number | null>;
  created_by: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

interface ImportUploadChunksTable {
  job_id: string;
  seq: number;
  data: Uint8Array;
}

export type ImportJobRow = Selectable<ImportJobsTable>;

export type SiteRow = Selectable<SitesTable>;
export type ArticleRow = Selectable<ArticlesTable>;
export type CommentRow = Selectable<CommentsTable>;
export type ModerationLogRow = Selectable<ModerationLogTable>;

interface EventsTable {
  id: string;
  site_id: string;
  type: string;
  comment_id: string | null;
  payload: Json<Record<string, unknown>>;
  created_at: Timestamp;
  dispatched_at: Date | null;
}

interface WebhookEndpointsTable {
  id: string;
  site_id: string;
  url: string;
  description: string | null;
  events: Json<string[]>;
  secret_ciphertext: string;
  previous_secret_ciphertext: string | null;
  previous_secret_expires_at: Date | null;
  enabled: ColumnType<boolean, boolean | undefined, boolean>;
  disabled_reason: string | null;
  include_personal_data: ColumnType<boolean, boolean | undefined, boolean>;
  failing_since: Date | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

type DeliveryStatus = 'pending' | 'succeeded' | 'failed';

interface WebhookDeliveriesTable {
  id: string;
  endpoint_id: string;
  event_id: string;
  status: DeliveryStatus;
  attempts: ColumnType<number, number | undefined, number>;
  last_status_code: number | null;
  last_error: string | null;
  next_attempt_at: Date | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

interface WebhookAttemptsTable {
  id: Generated<string>;
  delivery_id: string;
  started_at: Date;
  duration_ms: number;
  status_code: number | null;
  response_excerpt: string | null;
  error: string | null;
  succeeded: boolean;
}

interface JobsTable {
  id: string;
  queue: string;
  name: string;
  data: Json<Record<string, unknown>>;
  status: 'waiting' | 'active' | 'completed' | 'failed';
  attempts_made: ColumnType<number, number | undefined, number>;
  max_attempts: number;
  run_at: Date;
  locked_until: Date | null;
  last_error: string | null;
  created_at: Timestamp;
  finished_at: Date | null;
}

export type EventRow = Selectable<EventsTable>;
export type WebhookEndpointRow = Selectable<WebhookEndpointsTable>;
export type WebhookDeliveryRow = Selectable<WebhookDeliveriesTable>;
export type WebhookAttemptRow = Selectable<WebhookAttemptsTable>;
export type JobRow = Selectable<JobsTable>;

interface UsersTable {
  id: string;
  email: string;
  role: UserRole;
  password_hash: string;
  disabled_at: Date | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

interface UserSitesTable {
  user_id: string;
  site_id: string;
}

interface SessionsTable {
  id: string;
  user_id: string;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Date;
  ip: string | null;
  user_agent: string | null;
}

interface ApiTokensTable {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  prefix: string;
  created_at: Timestamp;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

export type BanKind = 'email' | 'domain' | 'ip';

interface BansTable {
  id: string;
  site_id: string;
  kind: BanKind;
  value: string;
  match_key: string;
  reason: string | null;
  created_by_type: string;
  created_by_id: string;
  created_at: Timestamp;
  expires_at: Date | null;
  lifted_at: Date | null;
}

interface AuditLogTable {
  id: Generated<string>;
  actor_type: string;
  actor_id: string;
  action: string;
  site_id: string | null;
  target_type: string;
  target_id: string;
  details: Json<Record<string, unknown>>;
  created_at: Timestamp;
}

/** What every process of a deployment must agree on (jobs/queue-record.repository.ts). */
interface DeploymentSettingsTable {
  key: string;
  value: Json<Record<string, unknown>>;
  recorded_at: Timestamp;
}

export type UserRow = Selectable<UsersTable>;
export type SessionRow = Selectable<SessionsTable>;
export type ApiTokenRow = Selectable<ApiTokensTable>;
export type BanRow = Selectable<BansTable>;
export type AuditLogRow = Selectable<AuditLogTable>;

interface SpamModelsTable {
  site_id: string;
  spam_decisions: ColumnType<number, number | undefined, number>;
  ham_decisions: ColumnType<number, number | undefined, number>;
  /** bigint: pg returns it as a string. */
  version: ColumnType<string, string | number | undefined, string | number>;
  since_prune: ColumnType<number, number | undefined, number>;
  updated_at: Timestamp;
}

interface SpamTokensTable {
  site_id: string;
  token: string;
  spam: number;
  ham: number;
}

interface SpamLessonsTable {
  comment_id: string;
  site_id: string;
  label: 'spam' | 'ham';
  tokens: Json<string[]>;
  created_at: Timestamp;
}

export type SpamLessonRow = Selectable<SpamLessonsTable>;

/** The DSA Art. 16 fields of an illegal-content notice (personal data: moderation side only). */
export interface ReportNotice {
  law: string;
  explanation: string;
  reporterName: string;
  reporterEmail: string;
  goodFaith: true;
}

interface ReportsTable {
  id: string;
  site_id: string;
  comment_id: string;
  reporter_key: string;
  ip_key: string | null;
  reason: 'spam' | 'abuse' | 'off_topic' | 'other' | 'illegal';
  detail: string | null;
  notice: ColumnType<ReportNotice | null, string | null, string | null>;
  weight: number;
  fresh: boolean;
  outcome: ColumnType<'open' | 'upheld' | 'dismissed', 'open' | undefined, 'open' | 'upheld' | 'dismissed'>;
  created_at: Timestamp;
  resolved_at: Date | null;
  resolved_by: string | null;
}

interface ReportersTable {
  site_id: string;
  reporter_key: string;
  upheld: Generated<number>;
  dismissed: Generated<number>;
}

export type ReportRow = Selectable<ReportsTable>;
