// Row types of the database. They stay in the data layer: services return domain objects.
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export interface SitesTable {
  id: string;
  name: string;
  settings: Json<Record<string, unknown>>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ArticlesTable {
  id: Generated<number>;
  site_id: string;
  external_id: string;
  url: string | null;
  title: string | null;
  closed_at: Date | null;
  published_count: Generated<number>;
  thread_version: Generated<number>;
  first_comment_at: Date | null;
  created_at: Timestamp;
}

export type CommentStatus = 'pending' | 'approved' | 'rejected' | 'spam' | 'deleted';

export interface CommentsTable {
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
}

export interface ModerationLogTable {
  id: Generated<string>;
  comment_id: string;
  site_id: string;
  actor_type: 'filter' | 'user' | 'system' | 'cli';
  actor_id: string;
  from_status: CommentStatus | null;
  to_status: CommentStatus;
  reasons: Json<unknown[]>;
  note: string | null;
  created_at: Timestamp;
}

export interface IdempotencyKeysTable {
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
}

export type SiteRow = Selectable<SitesTable>;
export type ArticleRow = Selectable<ArticlesTable>;
export type CommentRow = Selectable<CommentsTable>;
export type NewComment = Insertable<CommentsTable>;
export type ModerationLogRow = Selectable<ModerationLogTable>;
