// Our own export format, JSON lines (one JSON object a line, UTF-8, \n-separated):
//   {"format":"comments-export","version":1,"site":{"id":"demo","name":"Demo"},"exportedAt":"…"}
//   {"type":"article","id":"pk-kz-action-plan","url":"https://…","title":"…","createdAt":"…","closedAt":null}
//   {"type":"comment","id":"0190…","articleId":"pk-kz-action-plan","parentId":null,"status":"approved",
//    "kind":"comment","name":"Ada","email":"ada@example.com","url":null,"ip":"192.0.2.1",
//    "userAgent":"…","authorKey":null,"body":"Plain text\nwith line breaks","createdAt":"…"}
//   {"type":"end","articles":1,"comments":1}
// Ids are ours and stable, so importing the file again (here or after a restore) is idempotent.
// Articles come before their comments and parents before their replies in what we write; the
// reader does not rely on it. The end line makes a truncated file detectable. Readers of version 1
// ignore unknown fields and skip lines of unknown type, so later versions can add both.
import { z } from 'zod';
import { IMPORTED_KINDS, IMPORTED_STATUSES, type ImportedKind, type ImportedStatus } from './import.types.ts';

export const EXPORT_FORMAT = 'comments-export';
export const EXPORT_VERSION = 1;

export interface ExportSite {
  id: string;
  name: string | null;
}

/** What an export is made of; the export service builds these from the database. */
export interface ExportedArticle {
  type: 'article';
  id: string;
  url: string | null;
  title: string | null;
  createdAt: Date | null;
  closedAt: Date | null;
}

export interface ExportedComment {
  type: 'comment';
  id: string;
  articleId: string;
  parentId: string | null;
  status: ImportedStatus;
  kind?: ImportedKind;
  name: string;
  email: string | null;
  url: string | null;
  ip: string | null;
  userAgent: string | null;
  authorKey: string | null;
  body: string;
  createdAt: Date;
}

export type ExportRecord = ExportedArticle | ExportedComment;

const id = z.string().min(1).max(512);
const text = (max: number) => z.string().max(max).nullable().default(null);
const date = z.iso.datetime({ offset: true }).transform((value) => new Date(value));

export const headerLine = z.object({
  format: z.literal(EXPORT_FORMAT),
  version: z.number().int().min(1),
  site: z
    .object({ id, name: text(1000) })
    .nullable()
    .default(null),
  exportedAt: date.nullable().default(null),
});

export const articleLine = z.object({
  type: z.literal('article'),
  id,
  url: text(8192),
  title: text(8192),
  createdAt: date.nullable().default(null),
  closedAt: date.nullable().default(null),
});

export const commentLine = z.object({
  type: z.literal('comment'),
  id,
  articleId: id,
  parentId: id.nullable().default(null),
  status: z.enum(IMPORTED_STATUSES),
  kind: z.enum(IMPORTED_KINDS).default('comment'),
  name: z.string().max(1000),
  email: text(1000),
  url: text(8192),
  ip: text(100),
  userAgent: text(8192),
  authorKey: text(1000),
  body: z.string().max(1024 * 1024),
  createdAt: date,
});

export const endLine = z.object({
  type: z.literal('end'),
  articles: z.number().int().min(0),
  comments: z.number().int().min(0),
});
