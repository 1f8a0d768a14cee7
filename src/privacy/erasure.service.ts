// Erasure, one verb for each request: a comment deleted at its author's request, or an author erased
// from a site. In one transaction: the comments are locked, every step of erasure-steps.ts clears
// what it owns, the comments become deleted placeholders (log row and comment.deleted event, already
// in erased form), and the audit log records the erasure, without the values it erased. After
// commit the thread caches and the event relay hear about it.
import type { AuditService } from '../audit/audit.service.ts';
import { findCommentsForUpdate, type LockedComment, listCommentIdsByAuthor } from '../comments/comment.repository.ts';
import type { ModeratedComment } from '../comments/moderated-comment.ts';
import type { Db, Tx } from '../db/database.ts';
import type { Actor } from '../domain/actor.ts';
import type { ChangeNotifier } from '../events/change-notifier.ts';
import { type CommentChange, notifyArticles, transitionRow } from '../moderation/comment-transitions.ts';
import { NotFoundError, ValidationError } from '../shared/errors.ts';
import { emailHash } from '../shared/identity.ts';
import { uuidPattern } from '../shared/ids.ts';
import type { ErasureStep, ErasureSubject } from './erasure.ts';

export type { ErasureStep, ErasureSubject } from './erasure.ts';

const ERASURE_NOTE = 'erasure request';

function distinct(values: (string | null)[]): string[] {
  return [...new Set(values.filter((v): v is string => !!v && v.trim() !== ''))];
}

function subjectOf(siteId: string, rows: LockedComment[], author: ErasureSubject['author'], actor: Actor) {
  return {
    siteId,
    commentIds: rows.map((r) => r.id),
    author,
    values: {
      names: distinct(rows.map((r) => r.name)),
      emails: distinct(rows.map((r) => r.email)),
      ips: distinct(rows.map((r) => r.ip)),
      userAgents: distinct(rows.map((r) => r.user_agent)),
    },
    actor,
  } satisfies ErasureSubject;
}

export function createErasureService(deps: {
  db: Db;
  audit: AuditService;
  notifier: ChangeNotifier;
  secret: string;
  steps: ErasureStep[];
}) {
  const { db, audit } = deps;

  /** The steps, then the move to "deleted" (after them: blanking a live row could collide with another). */
  async function erase(tx: Tx, subject: ErasureSubject, rows: LockedComment[], note: string | null) {
    const counts: Record<string, number> = {};
    for (const step of deps.steps) counts[step.name] = await step.run(tx, subject);
    const changes: CommentChange[] = [];
    for (const row of rows) changes.push(await transitionRow(tx, row, 'deleted', subject.actor, note));
    return { counts, changes };
  }

  return {
    /** A comment deleted at its author's request: a placeholder, with nothing of its author left anywhere. */
    async eraseComment(actor: Actor, id: string, note: string | null = null): Promise<ModeratedComment> {
      if (note !== null && note.length > 1000)
        throw new ValidationError([{ path: 'reason', message: 'must be at most 1000 characters' }]);
      const { changes } = await db.transaction().execute(async (tx) => {
        const locked = uuidPattern.test(id) ? await findCommentsForUpdate(tx, [id]) : [];
        if (locked.length === 0) throw new NotFoundError(`No comment with id "${id.slice(0, 100)}".`);
        const subject = subjectOf(locked[0]!.site_id, locked, null, actor);
        const done = await erase(tx, subject, locked, note);
        await audit.withTx(tx).record(actor, {
          action: 'comment.erase',
          siteId: subject.siteId,
          target: { type: 'comment', id },
          details: { cleared: done.counts },
        });
        return done;
      });
      await notifyArticles(deps.notifier, changes);
      return changes[0]!.comment;
    },

    /** Erasure of everything one author (by email) wrote on a site, and of what the site keeps about them. */
    async eraseAuthor(actor: Actor, siteId: string, email: string): Promise<number> {
      const address = email.trim().toLowerCase();
      if (address === '' || address.length > 254)
        throw new ValidationError([{ path: 'email', message: 'must be an email address' }]);
      const hash = emailHash(deps.secret, address);
      const { changes } = await db.transaction().execute(async (tx) => {
        const rows = await findCommentsForUpdate(tx, await listCommentIdsByAuthor(tx, siteId, hash));
        const subject = subjectOf(siteId, rows, { email: address, emailHash: hash }, actor);
        const done = await erase(tx, subject, rows, ERASURE_NOTE);
        await audit.withTx(tx).record(actor, {
          action: 'author.erase',
          siteId,
          target: { type: 'site', id: siteId },
          details: { comments: rows.length, cleared: done.counts },
        });
        return done;
      });
      await notifyArticles(deps.notifier, changes);
      return changes.length;
    },
  };
}

export type ErasureService = ReturnType<typeof createErasureService>;
