// Training the learned spam score, in the worker: for a comment whose status changed, the lesson
// its moderation log now teaches (spam-lesson.ts) replaces the one stored for it, with the exact
// tokens counted then, in one transaction that holds the comment's row lock. Replaying an event,
// or events arriving out of order, changes nothing once the stored lesson matches the log. A
// rebuild runs the same rule over every moderated comment of the site.
import { findComment, findCommentsForUpdate } from '../comments/comment.repository.ts';
import { listLogForComment } from '../comments/moderation-log.repository.ts';
import { type Db, inTransaction, type Tx } from '../db/database.ts';
import type { CommentRow } from '../db/schema.ts';
import { FeatureExtractor } from '../spam/features.ts';
import {
  DEFAULT_MAX_TOKENS,
  pruneVictims,
  SpamCounts,
  type SpamLabel,
  type SpamSnapshot,
} from '../spam/spam-counts.ts';
import * as repo from './spam.repository.ts';
import { spamFeatureOptions, spamInputOf } from './spam-features.ts';
import { lessonDelta, lessonFromLog } from './spam-lesson.ts';

/** Precision and recall are estimated on this many of a site's latest decisions. */
const RECENT_DECISIONS = 200;

/** A site's tokens are pruned back to their bound after this many learned decisions. */
const PRUNE_EVERY = 100;

export interface SpamStats {
  siteId: string;
  spamDecisions: number;
  hamDecisions: number;
  tokens: number;
  /**
   * The latest decisions against the score each comment was given when it was posted, before the
   * model learned from it: an honest estimate of how the score does now. Null when undefined.
   */
  recent: { decisions: number; scored: number; threshold: number; precision: number | null; recall: number | null };
}

export interface TrainingOptions {
  maxTokens?: number;
  pruneEvery?: number;
}

export function createSpamTraining(deps: {
  db: Db;
  secret: string;
  /** Told after commit when a site's model changed (this process's scorers reload it at once). */
  onChange?: (siteId: string) => void;
  options?: TrainingOptions;
}) {
  const { db } = deps;
  const extractor = new FeatureExtractor(spamFeatureOptions(deps.secret));
  const maxTokens = deps.options?.maxTokens ?? DEFAULT_MAX_TOKENS;
  const pruneEvery = deps.options?.pruneEvery ?? PRUNE_EVERY;
  const tokensOf = (c: CommentRow) =>
    extractor.labels(spamInputOf({ name: c.name, email: c.email, body: c.body, emailHash: c.email_hash }));

  async function prune(tx: Tx, siteId: string): Promise<void> {
    const model = await repo.loadModel(tx, siteId);
    await repo.deleteTokens(tx, siteId, pruneVictims(model, maxTokens));
    await repo.markPruned(tx, siteId);
  }

  /** Brings a site's counts from the lessons stored to the ones given; answers whether anything changed. */
  async function relearn(
    tx: Tx,
    siteId: string,
    changes: {
      commentId: string;
      from: { label: SpamLabel; tokens: string[] } | null;
      to: { label: SpamLabel; tokens: string[] } | null;
    }[],
  ): Promise<boolean> {
    let decisions = 0;
    let changed = false;
    const merged: SpamSnapshot = { spamDecisions: 0, hamDecisions: 0, tokens: [] };
    for (const c of changes) {
      if (c.from === null && c.to === null) continue;
      const delta = lessonDelta(c.from, c.to);
      merged.spamDecisions += delta.spamDecisions;
      merged.hamDecisions += delta.hamDecisions;
      merged.tokens.push(...delta.tokens);
      decisions++;
      changed = true;
      if (c.to) await repo.saveLesson(tx, { commentId: c.commentId, siteId, label: c.to.label, tokens: c.to.tokens });
      else await repo.deleteLesson(tx, c.commentId);
    }
    if (!changed) return false;
    const sincePrune = await repo.applyDelta(tx, siteId, sumTokens(merged), decisions);
    if (sincePrune >= pruneEvery) await prune(tx, siteId);
    return true;
  }

  /** The model a rebuild from the moderation log makes, without storing it. */
  async function rebuilt(
    siteId: string,
  ): Promise<{ model: SpamSnapshot; lessons: { commentId: string; label: SpamLabel; tokens: string[] }[] }> {
    const counts = new SpamCounts();
    const lessons: { commentId: string; label: SpamLabel; tokens: string[] }[] = [];
    for (const commentId of await repo.listModeratedCommentIds(db, siteId)) {
      const label = lessonFromLog(await listLogForComment(db, commentId));
      if (!label) continue;
      const comment = await findComment(db, commentId);
      if (!comment) continue;
      const tokens = tokensOf(comment);
      counts.train(tokens, label);
      lessons.push({ commentId, label, tokens });
    }
    counts.prune(maxTokens);
    return { model: counts.toSnapshot(), lessons };
  }

  return {
    /** Learns what one comment's log now teaches (the worker, for each of its lifecycle events). */
    async learnComment(commentId: string): Promise<void> {
      const siteId = await inTransaction(db, async (tx) => {
        const [comment] = await findCommentsForUpdate(tx, [commentId]);
        if (!comment) return null;
        const stored = await repo.findLesson(tx, commentId);
        const label = lessonFromLog(await listLogForComment(tx, commentId));
        if ((stored?.label ?? null) === label) return null;
        const from = stored ? { label: stored.label, tokens: stored.tokens } : null;
        const to = label ? { label, tokens: tokensOf(comment) } : null;
        return (await relearn(tx, comment.site_id, [{ commentId, from, to }])) ? comment.site_id : null;
      });
      if (siteId) deps.onChange?.(siteId);
    },

    /**
     * Erasure: the model forgets these comments at once, in the erasure's transaction (their lessons
     * hold their words). Safe to run again: forgotten comments have no lesson left.
     */
    async forgetComments(tx: Tx, commentIds: string[]): Promise<number> {
      const lessons = await repo.listLessonsOfComments(tx, commentIds);
      const bySite = new Map<string, typeof lessons>();
      for (const l of lessons) bySite.set(l.site_id, [...(bySite.get(l.site_id) ?? []), l]);
      for (const [siteId, rows] of bySite)
        await relearn(
          tx,
          siteId,
          rows.map((r) => ({ commentId: r.comment_id, from: { label: r.label, tokens: r.tokens }, to: null })),
        );
      return lessons.length;
    },

    rebuilt,

    /** spam:retrain: the site's model rebuilt from the moderation log, replacing the stored one. */
    async rebuild(siteId: string, also?: (tx: Tx) => Promise<void>): Promise<SpamSnapshot> {
      const { model, lessons } = await rebuilt(siteId);
      await inTransaction(db, async (tx) => {
        await repo.deleteModel(tx, siteId);
        await repo.insertModel(tx, siteId, model, lessons);
        await also?.(tx);
      });
      deps.onChange?.(siteId);
      return model;
    },

    /** spam:reset: the site's model forgotten (the shared base keeps the other sites' counts). */
    async reset(siteId: string, also?: (tx: Tx) => Promise<void>): Promise<void> {
      await inTransaction(db, async (tx) => {
        await repo.deleteModel(tx, siteId);
        await also?.(tx);
      });
      deps.onChange?.(siteId);
    },

    /** spam:stats: what the site's model has learned, and how its score did on recent decisions. */
    async stats(siteId: string, holdAt: number): Promise<SpamStats> {
      const model = await repo.loadModel(db, siteId);
      const recent = await repo.listRecentLessons(db, siteId, RECENT_DECISIONS);
      const scored = recent.filter((r) => r.score !== null);
      const caught = scored.filter((r) => r.label === 'spam' && r.score! >= holdAt).length;
      const flagged = scored.filter((r) => r.score! >= holdAt).length;
      const spam = scored.filter((r) => r.label === 'spam').length;
      return {
        siteId,
        spamDecisions: model.spamDecisions,
        hamDecisions: model.hamDecisions,
        tokens: model.tokens.length,
        recent: {
          decisions: recent.length,
          scored: scored.length,
          threshold: holdAt,
          precision: flagged > 0 ? caught / flagged : null,
          recall: spam > 0 ? caught / spam : null,
        },
      };
    },
  };
}

/** Tokens of several deltas added up per token. */
function sumTokens(delta: SpamSnapshot): SpamSnapshot {
  const tokens = new Map<string, { spam: number; ham: number }>();
  for (const t of delta.tokens) {
    const row = tokens.get(t.token) ?? { spam: 0, ham: 0 };
    row.spam += t.spam;
    row.ham += t.ham;
    tokens.set(t.token, row);
  }
  return {
    ...delta,
    tokens: [...tokens].filter(([, r]) => r.spam !== 0 || r.ham !== 0).map(([token, r]) => ({ token, ...r })),
  };
}

export type SpamTraining = ReturnType<typeof createSpamTraining>;
