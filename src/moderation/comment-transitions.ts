// Status changes of one or many comments inside the caller's transaction, and the one notification
// per touched article after commit. Single actions and bulk actions share this path, so each comment
// gets its log row and its events exactly as src/comments/transition.ts writes them.
import {
  blankComments,
  findCommentsWithArticle,
  findCommentWithArticle,
  type LockedComment,
} from '../comments/comment.repository.ts';
import { type ModeratedComment, snapshotOf, toModeratedComment } from '../comments/moderated-comment.ts';
import { lastChangesOf } from '../comments/moderation-log.repository.ts';
import { applyTransition, applyTransitions } from '../comments/transition.ts';
import type { DbOrTx } from '../db/database.ts';
import type { Actor } from '../domain/actor.ts';
import { type CommentStatus, canTransition } from '../domain/comment-status.ts';
import type { ChangeNotifier, StatusMove } from '../events/change-notifier.ts';
import { ConflictError, type StaleView } from '../shared/errors.ts';

/** Which moves a change may make: the domain's edges (canTransition), or an undo's (canUndo). */
type MoveRule = (from: CommentStatus, to: CommentStatus) => boolean;

export interface CommentChange {
  comment: ModeratedComment;
  from: CommentStatus;
  /** The article's external id; null when nothing changed (the comment already had that status). */
  article: string | null;
  /** Who made the change (the live queue names them on other moderators' cards). */
  actor: Actor;
}

/** The status the actor last saw, per comment id; undefined: not given (the change is unconditional). */
export type ExpectedStatus = (id: string) => CommentStatus | undefined;

/**
 * Refuses the whole change when any locked row no longer has the status its actor saw, naming for each
 * what it is now, who made it so and when: a stale screen never silently overrides a colleague.
 */
export async function assertExpected(
  tx: DbOrTx,
  rows: { id: string; status: CommentStatus }[],
  expected: ExpectedStatus,
): Promise<void> {
  const stale = rows.filter((r) => expected(r.id) !== undefined && expected(r.id) !== r.status);
  if (stale.length === 0) return;
  const last = await lastChangesOf(
    tx,
    stale.map((r) => r.id),
  );
  const conflicts: StaleView[] = stale.map((r) => {
    const l = last.get(r.id);
    return {
      id: r.id,
      current: r.status,
      changedBy: l ? (l.actor_type === 'user' ? (l.actor_email ?? `user ${l.actor_id}`) : l.actor_type) : null,
      changedAt: l ? new Date(l.created_at).toISOString() : null,
    };
  });
  const said = (c: StaleView) =>
    `is now ${c.current}${c.changedBy ? ` (set by ${c.changedBy}${c.changedAt ? ` at ${c.changedAt}` : ''})` : ''}`;
  throw new ConflictError(
    stale.length === 1
      ? `This comment changed since you saw it: it ${said(conflicts[0]!)}, not ${expected(stale[0]!.id)}. Nothing was changed.`
      : `${stale.length} comments changed since you saw them; nothing was changed.`,
    {
      code: 'status_changed',
      conflicts,
      errors: conflicts.map((c) => ({ path: c.id, message: `${said(c)}, not ${expected(c.id)}` })),
    },
  );
}

/** Checks every move before making any, so a batch fails whole with the reason for each refusal. */
export function assertTransitions(
  rows: { id: string; status: CommentStatus }[],
  targets: Map<string, CommentStatus>,
  allowed: MoveRule = canTransition,
): void {
  const refused = rows.filter((r) => r.status !== targets.get(r.id) && !allowed(r.status, targets.get(r.id)!));
  if (refused.length === 0) return;
  const detail = refused
    .slice(0, 5)
    .map((r) => `${r.id} is ${r.status} and cannot become ${targets.get(r.id)}`)
    .join('; ');
  throw new ConflictError(
    refused.length === 1
      ? `A ${refused[0]!.status} comment cannot become ${targets.get(refused[0]!.id)}.`
      : `${refused.length} comments cannot change: ${detail}.`,
    {
      code: 'transition_refused',
      errors: refused.map((r) => ({ path: r.id, message: `is ${r.status} and cannot become ${targets.get(r.id)}` })),
    },
  );
}

/** Applies one change to a locked row (read with its article's public fields). */
export async function transitionRow(
  tx: DbOrTx,
  row: LockedComment,
  to: CommentStatus,
  actor: Actor,
  note: string | null,
  allowed: MoveRule = canTransition,
): Promise<CommentChange> {
  if (row.status === to) return { comment: toModeratedComment(row), article: null, from: row.status, actor };
  if (!allowed(row.status, to)) throw new ConflictError(`A ${row.status} comment cannot become ${to}.`);
  await applyTransition(tx, {
    comment: snapshotOf(row),
    article: { externalId: row.article_external_id, url: row.article_url, title: row.article_title },
    to,
    actor,
    note,
  });
  if (to === 'deleted') await blankComments(tx, [row.id]);
  return {
    comment: toModeratedComment((await findCommentWithArticle(tx, row.id))!),
    article: row.article_external_id,
    from: row.status,
    actor,
  };
}

/**
 * Applies a batch of changes to locked rows in a constant number of statements (the changes, the blanking
 * of deleted ones, one re-read), not a few per row: a bulk action of hundreds of comments stays one
 * round trip's worth of work for the database. The moves were checked (assertTransitions) beforehand.
 */
export async function transitionRows(
  tx: DbOrTx,
  rows: LockedComment[],
  targets: Map<string, CommentStatus>,
  actor: Actor,
  note: string | null,
): Promise<CommentChange[]> {
  const moving = rows.filter((r) => r.status !== targets.get(r.id));
  await applyTransitions(
    tx,
    moving.map((row) => ({
      comment: snapshotOf(row),
      article: { externalId: row.article_external_id, url: row.article_url, title: row.article_title },
      to: targets.get(row.id)!,
      actor,
      note,
    })),
  );
  await blankComments(
    tx,
    moving.filter((r) => targets.get(r.id) === 'deleted').map((r) => r.id),
  );
  const now = new Map(
    (
      await findCommentsWithArticle(
        tx,
        moving.map((r) => r.id),
      )
    ).map((r) => [r.id, r]),
  );
  return rows.map((row) => {
    const after = now.get(row.id);
    return after
      ? { comment: toModeratedComment(after), article: row.article_external_id, from: row.status, actor }
      : { comment: toModeratedComment(row), article: null, from: row.status, actor };
  });
}

/** After commit: one call per touched article (caches, the event relay, the live queue), however many comments changed. */
export async function notifyArticles(notifier: ChangeNotifier, changes: CommentChange[]): Promise<void> {
  const byArticle = new Map<
    string,
    { siteId: string; articleId: string; threadChanged: boolean; moves: StatusMove[] }
  >();
  for (const c of changes) {
    if (c.article === null) continue;
    const key = `${c.comment.siteId}\u0000${c.article}`;
    const threadChanged = c.from === 'approved' || c.comment.status === 'approved' || c.comment.status === 'deleted';
    const entry = byArticle.get(key) ?? { siteId: c.comment.siteId, articleId: c.article, threadChanged, moves: [] };
    entry.threadChanged ||= threadChanged;
    entry.moves.push({ commentId: c.comment.id, from: c.from, to: c.comment.status, actor: c.actor });
    byArticle.set(key, entry);
  }
  for (const change of byArticle.values()) await notifier.committed(change);
}
