// Moderator verbs: look at a comment, change the status of one or of many (one transaction, all or
// nothing). Access is checked on the locked rows, inside the transaction. Deleting and erasing are
// privacy/erasure.service.ts: they clear every copy of what the author wrote.

import { findCommentsForUpdate, findCommentWithArticle, type LockedComment } from '../comments/comment.repository.ts';
import { type LogEntry, type ModeratedComment, toLogEntry, toModeratedComment } from '../comments/moderated-comment.ts';
import { listLogForComment, statusesBeforeCurrent } from '../comments/moderation-log.repository.ts';
import type { Db, DbOrTx } from '../db/database.ts';
import type { CommentRow } from '../db/schema.ts';
import type { Actor } from '../domain/actor.ts';
import { COMMENT_STATUSES, type CommentStatus, canTransition, canUndo } from '../domain/comment-status.ts';
import { actorOf, forbidden, isAdmin, type Principal, requireSite } from '../domain/principal.ts';
import type { ChangeNotifier } from '../events/change-notifier.ts';
import { ConflictError, NotFoundError, ValidationError } from '../shared/errors.ts';
import { uuidPattern } from '../shared/ids.ts';
import { invisibleTextProblem } from '../shared/invisible-text.ts';
import {
  assertExpected,
  assertTransitions,
  type ExpectedStatus,
  notifyArticles,
  transitionRows,
} from './comment-transitions.ts';

export type { LogEntry, ModeratedComment } from '../comments/moderated-comment.ts';

export const MODERATION_ACTIONS = ['approve', 'reject', 'spam', 'restore', 'undo'] as const;
export type ModerationAction = (typeof MODERATION_ACTIONS)[number];
/** A bulk action covers at most this many comments (one transaction, row locks held until commit). */
export const MAX_BULK = 500;

const SETTABLE: CommentStatus[] = ['approved', 'pending', 'rejected', 'spam'];
const ACTION_STATUS: Record<Exclude<ModerationAction, 'restore' | 'undo'>, CommentStatus> = {
  approve: 'approved',
  reject: 'rejected',
  spam: 'spam',
};

/**
 * What the actor last saw: one status for every comment, or one per comment id. Omitted (scripts written
 * before conditional changes): the change is unconditional. The dashboard always sends it.
 */
export type ExpectedStatuses = CommentStatus | Record<string, CommentStatus> | undefined;

function expectationOf(expected: ExpectedStatuses): ExpectedStatus {
  const known = (v: unknown, path: string) => {
    if (v !== undefined && !COMMENT_STATUSES.includes(v as CommentStatus))
      throw new ValidationError([{ path, message: `must be one of ${COMMENT_STATUSES.join(', ')}` }]);
  };
  if (expected === undefined || typeof expected === 'string') {
    known(expected, 'expectedStatus');
    return () => expected;
  }
  for (const [id, v] of Object.entries(expected)) known(v, `expectedStatus.${id.slice(0, 100)}`);
  return (id) => (Object.hasOwn(expected, id) ? expected[id] : undefined);
}

function checkNote(note: string | null) {
  if (note !== null && note.length > 1000)
    throw new ValidationError([{ path: 'reason', message: 'must be at most 1000 characters' }]);
  // The log shows it to other moderators: no bidi controls or invisible characters.
  const problem = note === null ? null : invisibleTextProblem(note);
  if (problem) throw new ValidationError([{ path: 'reason', message: problem }]);
}

/**
 * Undo takes back the last decision on each comment: the status its latest log row came from. It is a
 * decision of its own (logged, with its events), made only on what the undoer just set (expectedStatus
 * is required), so it never undoes a colleague's later change.
 */
async function undoTargets(
  tx: DbOrTx,
  rows: CommentRow[],
  expected: ExpectedStatus,
): Promise<Map<string, CommentStatus>> {
  const unsure = rows.filter((r) => expected(r.id) === undefined);
  if (unsure.length)
    throw new ValidationError(
      unsure.slice(0, 50).map((r) => ({ path: `expectedStatus.${r.id}`, message: 'is required to undo' })),
    );
  const before = await statusesBeforeCurrent(tx, rows);
  const none = rows.filter((r) => !before.get(r.id) || before.get(r.id) === 'deleted');
  if (none.length)
    throw new ConflictError(
      none.length === 1
        ? `This comment has no earlier decision to undo: it has been ${none[0]!.status} since it arrived.`
        : `${none.length} comments have no earlier decision to undo.`,
      {
        code: 'nothing_to_undo',
        errors: none.map((r) => ({ path: r.id, message: `has been ${r.status} since it arrived` })),
      },
    );
  return new Map(rows.map((r) => [r.id, before.get(r.id)!]));
}

/** Restore undoes a rejection or spam mark: back to approved if it was published before, else to the queue. */
async function targetsFor(
  tx: DbOrTx,
  rows: CommentRow[],
  action: ModerationAction,
  expected: ExpectedStatus,
): Promise<Map<string, CommentStatus>> {
  if (action === 'undo') return undoTargets(tx, rows, expected);
  if (action !== 'restore') return new Map(rows.map((r) => [r.id, ACTION_STATUS[action]]));
  const notRestorable = rows.filter((r) => r.status !== 'rejected' && r.status !== 'spam');
  if (notRestorable.length) {
    throw new ConflictError(
      `Only rejected or spam comments can be restored; ${notRestorable.length === 1 ? `this one is ${notRestorable[0]!.status}` : `${notRestorable.length} are not`}.`,
      {
        code: 'transition_refused',
        errors: notRestorable.map((r) => ({
          path: r.id,
          message: `is ${r.status}; only rejected or spam comments can be restored`,
        })),
      },
    );
  }
  const before = await statusesBeforeCurrent(
    tx,
    rows.filter((r) => r.status === 'rejected' || r.status === 'spam'),
  );
  return new Map(
    rows.map((r) => [
      r.id,
      r.status === 'rejected' || r.status === 'spam'
        ? before.get(r.id) === 'approved'
          ? 'approved'
          : 'pending'
        : r.status,
    ]),
  );
}

export function createModerationService(deps: { db: Db; notifier: ChangeNotifier }) {
  const { db } = deps;

  function checkId(id: string) {
    if (!uuidPattern.test(id)) throw new NotFoundError(`No comment with id "${id.slice(0, 100)}".`);
  }

  /** Locks the rows and checks access: unknown ids and other sites' comments look alike to a moderator. */
  async function lockFor(tx: DbOrTx, who: Principal | null, ids: string[]): Promise<LockedComment[]> {
    const valid = ids.filter((id) => uuidPattern.test(id));
    const rows = await findCommentsForUpdate(tx, valid);
    const missing = ids.filter((id) => !rows.some((r) => r.id === id));
    if (missing.length) {
      if (who && !isAdmin(who)) throw forbidden();
      throw new NotFoundError(
        `No comment with id "${missing[0]!.slice(0, 100)}"${missing.length > 1 ? ` (and ${missing.length - 1} more)` : ''}.`,
        {
          errors: missing.slice(0, 50).map((id) => ({ path: id.slice(0, 100), message: 'no such comment' })),
        },
      );
    }
    if (who) for (const r of rows) requireSite(who, r.site_id);
    return rows;
  }

  /** Several comments in one transaction: all change, or none (and nothing is notified). */
  async function changeMany(
    who: Principal | null,
    ids: string[],
    pick: (tx: DbOrTx, rows: LockedComment[]) => Promise<Map<string, CommentStatus>>,
    actor: Actor,
    note: string | null,
    expected: ExpectedStatus,
    allowed = canTransition,
  ) {
    const changes = await db.transaction().execute(async (tx) => {
      const rows = await lockFor(tx, who, ids);
      await assertExpected(tx, rows, expected);
      const targets = await pick(tx, rows);
      assertTransitions(rows, targets, allowed);
      return transitionRows(tx, rows, targets, actor, note);
    });
    await notifyArticles(deps.notifier, changes);
    const byId = new Map(changes.map((c) => [c.comment.id, c.comment]));
    return ids.map((id) => byId.get(id)!);
  }

  return {
    async show(id: string): Promise<{ comment: ModeratedComment; log: LogEntry[] }> {
      checkId(id);
      const row = await findCommentWithArticle(db, id);
      if (!row) throw new NotFoundError(`No comment with id "${id}".`);
      return { comment: toModeratedComment(row), log: (await listLogForComment(db, id)).map(toLogEntry) };
    },

    /** Operators (CLI): any status, no site restriction. */
    async setStatus(
      id: string,
      to: CommentStatus,
      actor: Actor,
      note: string | null = null,
      expected?: CommentStatus,
    ): Promise<ModeratedComment> {
      checkId(id);
      const expectation = expectationOf(expected);
      if (!SETTABLE.includes(to))
        throw new ValidationError([{ path: 'status', message: `must be one of ${SETTABLE.join(', ')}` }]);
      checkNote(note);
      const [comment] = await changeMany(
        null,
        [id],
        async (_tx, rows) => new Map(rows.map((r) => [r.id, to])),
        actor,
        note,
        expectation,
      );
      return comment!;
    },

    /**
     * Operators (CLI): undo the last decision on a comment, under the same rule as the dashboard's undo
     * (only while it still has `expected`, the status that decision set; logged as an undo).
     */
    async undoAsOperator(
      id: string,
      actor: Actor,
      note: string | null,
      expected: CommentStatus,
    ): Promise<ModeratedComment> {
      checkId(id);
      const expectation = expectationOf(expected);
      checkNote(note);
      const [comment] = await changeMany(
        null,
        [id],
        (tx, rows) => undoTargets(tx, rows, expectation),
        actor,
        note ? `Undo: ${note}` : 'Undo',
        expectation,
        canUndo,
      );
      return comment!;
    },

    /** A moderator's action on comments of their sites; one id or up to MAX_BULK, in one transaction. */
    async act(
      who: Principal,
      ids: string[],
      action: ModerationAction,
      note: string | null = null,
      expected?: ExpectedStatuses,
    ): Promise<ModeratedComment[]> {
      const expectation = expectationOf(expected);
      if (!MODERATION_ACTIONS.includes(action))
        throw new ValidationError([{ path: 'action', message: `must be one of ${MODERATION_ACTIONS.join(', ')}` }]);
      const unique = [...new Set(ids)];
      if (unique.length === 0 || unique.length > MAX_BULK)
        throw new ValidationError([{ path: 'ids', message: `give between 1 and ${MAX_BULK} comment ids` }]);
      // A status per id that names no id of the call is a client's mistake (a stale or forged map): the
      // ids it misses would be changed unconditionally.
      if (expected !== undefined && typeof expected !== 'string') {
        const asked = new Set(unique);
        const strays = Object.keys(expected).filter((k) => !asked.has(k));
        if (strays.length)
          throw new ValidationError(
            strays
              .slice(0, 50)
              .map((k) => ({ path: `expectedStatus.${k.slice(0, 100)}`, message: 'is not one of the ids' })),
          );
      }
      checkNote(note);
      const undo = action === 'undo';
      return changeMany(
        who,
        unique,
        (tx, rows) => targetsFor(tx, rows, action, expectation),
        actorOf(who),
        // The log says it was an undo, not a fresh decision.
        undo ? (note ? `Undo: ${note}` : 'Undo') : note,
        expectation,
        undo ? canUndo : canTransition,
      );
    },
  };
}

export type ModerationService = ReturnType<typeof createModerationService>;
