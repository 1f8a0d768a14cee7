// Moderator verbs on single comments: look at one (with reasons and log) and change its status.
import type { Db } from '../db/database.ts';
import type { CommentRow, CommentStatus, ModerationLogRow } from '../db/schema.ts';
import { findArticleById } from '../articles/article.repository.ts';
import { blankComment, findComment, findCommentForUpdate, listCommentIdsByAuthor } from '../comments/comment.repository.ts';
import type { ChangeNotifier } from '../events/change-notifier.ts';
import type { CommentSnapshot } from '../events/event-payload.ts';
import { ConflictError, NotFoundError, ValidationError } from '../shared/errors.ts';
import { uuidPattern } from '../shared/ids.ts';
import { emailHash } from '../shared/identity.ts';
import { listLogForComment } from './moderation-log.repository.ts';
import { applyTransition, canTransition, type Actor } from './status-transition.ts';

/** What moderators see: everything, including email, IP and user agent. */
export interface ModeratedComment {
  id: string;
  siteId: string;
  articleId: number;
  parentId: string | null;
  name: string;
  email: string;
  emailHash: string;
  ip: string | null;
  userAgent: string | null;
  body: string;
  status: CommentStatus;
  reasons: unknown[];
  createdAt: Date;
  updatedAt: Date;
  publishedAt: Date | null;
}

export interface LogEntry {
  id: string;
  actorType: string;
  actorId: string;
  from: CommentStatus | null;
  to: CommentStatus;
  reasons: unknown[];
  note: string | null;
  createdAt: Date;
}

export function toModeratedComment(r: CommentRow): ModeratedComment {
  return {
    id: r.id,
    siteId: r.site_id,
    articleId: r.article_id,
    parentId: r.parent_id,
    name: r.name,
    email: r.email,
    emailHash: r.email_hash,
    ip: r.ip,
    userAgent: r.user_agent,
    body: r.body,
    status: r.status,
    reasons: r.reasons,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    publishedAt: r.published_at,
  };
}

export function snapshotOf(r: CommentRow): CommentSnapshot {
  return {
    id: r.id,
    siteId: r.site_id,
    articleId: r.article_id,
    parentId: r.parent_id,
    name: r.name,
    body: r.body,
    emailHash: r.email_hash,
    createdAt: r.created_at,
    status: r.status,
    publishedAt: r.published_at,
  };
}

function toLogEntry(r: ModerationLogRow): LogEntry {
  return {
    id: String(r.id),
    actorType: r.actor_type,
    actorId: r.actor_id,
    from: r.from_status,
    to: r.to_status,
    reasons: r.reasons,
    note: r.note,
    createdAt: r.created_at,
  };
}

const SETTABLE: CommentStatus[] = ['approved', 'pending', 'rejected', 'spam'];

export function createModerationService(deps: { db: Db; notifier: ChangeNotifier; secret: string }) {
  const { db } = deps;

  function checkId(id: string) {
    if (!uuidPattern.test(id)) throw new NotFoundError(`No comment with id "${id.slice(0, 100)}".`);
  }

  return {
    async show(id: string): Promise<{ comment: ModeratedComment; log: LogEntry[] }> {
      checkId(id);
      const row = await findComment(db, id);
      if (!row) throw new NotFoundError(`No comment with id "${id}".`);
      return { comment: toModeratedComment(row), log: (await listLogForComment(db, id)).map(toLogEntry) };
    },

    async setStatus(id: string, to: CommentStatus, actor: Actor, note: string | null = null): Promise<ModeratedComment> {
      checkId(id);
      if (!SETTABLE.includes(to)) throw new ValidationError([{ path: 'status', message: `must be one of ${SETTABLE.join(', ')}` }]);
      if (note !== null && note.length > 1000) throw new ValidationError([{ path: 'reason', message: 'must be at most 1000 characters' }]);
      return transition(id, to, actor, note);
    },

    /** Author or erasure request: the comment becomes a placeholder, its text and personal data blanked. */
    async remove(id: string, actor: Actor, note: string | null = null): Promise<ModeratedComment> {
      checkId(id);
      return transition(id, 'deleted', actor, note);
    },

    /** Erasure of everything one author (by email) wrote on a site; returns how many comments. */
    async eraseAuthor(siteId: string, email: string, actor: Actor): Promise<number> {
      const ids = await listCommentIdsByAuthor(db, siteId, emailHash(deps.secret, email));
      for (const id of ids) await transition(id, 'deleted', actor, 'erasure request');
      return ids.length;
    },
  };

  /** One status change in its own transaction; then caches and the event relay hear of it. */
  async function transition(id: string, to: CommentStatus, actor: Actor, note: string | null): Promise<ModeratedComment> {
    const change = await db.transaction().execute(async (tx) => {
      const row = await findCommentForUpdate(tx, id);
      if (!row) throw new NotFoundError(`No comment with id "${id}".`);
      if (row.status === to) return { comment: toModeratedComment(row), article: null, from: row.status };
      if (!canTransition(row.status, to)) throw new ConflictError(`A ${row.status} comment cannot become ${to}.`);
      const article = (await findArticleById(tx, row.article_id))!;
      await applyTransition(tx, {
        comment: snapshotOf(row),
        article: { externalId: article.external_id, url: article.url, title: article.title },
        to,
        actor,
        note,
      });
      if (to === 'deleted') await blankComment(tx, id);
      return { comment: toModeratedComment((await findComment(tx, id))!), article: article.external_id, from: row.status };
    });
    if (change.article !== null) {
      const threadChanged = change.from === 'approved' || to === 'approved' || to === 'deleted';
      await deps.notifier.committed({ siteId: change.comment.siteId, articleId: change.article, threadChanged });
    }
    return change.comment;
  }
}

export type ModerationService = ReturnType<typeof createModerationService>;
