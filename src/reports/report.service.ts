// Reader reports: a reader files one (public API), its weight follows the reporter's reliability, and the
// comment's weighted score queues it for moderators or hides it pending review (see report-weight.ts).
// Moderators dismiss the reports or act on the comment; each decision moves the reporters' reliability.
import { createHmac } from 'node:crypto';
import { findCommentsForUpdate, findCommentWithArticle, type LockedComment } from '../comments/comment.repository.ts';
import { type ModeratedComment, snapshotOf, toModeratedComment } from '../comments/moderated-comment.ts';
import { writeCommentEvents } from '../comments/transition.repository.ts';
import { applyTransition } from '../comments/transition.ts';
import type { Db, DbOrTx } from '../db/database.ts';
import type { ReportRow } from '../db/schema.ts';
import type { Actor } from '../domain/actor.ts';
import { actorOf, forbidden, isAdmin, type Principal, requireSite } from '../domain/principal.ts';
import type { ChangeNotifier } from '../events/change-notifier.ts';
import { type CommentChange, notifyArticles, transitionRow } from '../moderation/comment-transitions.ts';
import { NotFoundError } from '../shared/errors.ts';
import { uuidPattern, uuidv7 } from '../shared/ids.ts';
import { clientKey } from '../shared/ip-address.ts';
import type { SiteService } from '../sites/site.service.ts';
import {
  countDecisions,
  countReportsByReasonAndOutcome,
  decisionTimes,
  findDecisions,
  hasReported,
  insertReport,
  listOpenReportsOfComment,
  listOpenReportsOfSite,
  listReportsOfComment,
  resolveOpenReports,
} from './report.repository.ts';
import { REPORT_REASONS, type ReportInput, type ReportReason } from './report.schemas.ts';
import { reportEvent } from './report-events.ts';
import type { ReportLimiter } from './report-limiter.ts';
import { reliability, weightedScore } from './report-weight.ts';

/** Who hides a comment when its reports reach the site's hide threshold. */
const REPORTS_ACTOR: Actor = { type: 'system', id: 'reports' };
const HIDDEN_CODE = 'reader_reports';

interface ReportView {
  id: string;
  reason: ReportReason;
  detail: string | null;
  weight: number;
  outcome: 'open' | 'upheld' | 'dismissed';
  createdAt: string;
  notice: ReportRow['notice'];
}

const OUTCOMES = ['open', 'upheld', 'dismissed'] as const;
type Outcome = (typeof OUTCOMES)[number];

/** A site's transparency figures: reports by reason and outcome, and how fast moderators decided. */
export interface ReportTransparency {
  siteId: string;
  total: number;
  byOutcome: Record<Outcome, number>;
  byReason: ({ reason: ReportReason; total: number } & Record<Outcome, number>)[];
  decisions: number;
  medianSecondsToDecision: number | null;
}

/** Every site's figures from the two transparency queries (the metrics read all sites at once). */
export async function transparencyOf(db: DbOrTx, siteId: string | null): Promise<ReportTransparency[]> {
  const [counts, times] = await Promise.all([countReportsByReasonAndOutcome(db, siteId), decisionTimes(db, siteId)]);
  const sites = new Map<string, ReportTransparency>();
  const of = (id: string) => {
    let t = sites.get(id);
    if (!t) {
      t = {
        siteId: id,
        total: 0,
        byOutcome: { open: 0, upheld: 0, dismissed: 0 },
        byReason: REPORT_REASONS.map((reason) => ({ reason, total: 0, open: 0, upheld: 0, dismissed: 0 })),
        decisions: 0,
        medianSecondsToDecision: null,
      };
      sites.set(id, t);
    }
    return t;
  };
  if (siteId !== null) of(siteId);
  for (const c of counts) {
    const t = of(c.site_id);
    const row = t.byReason.find((r) => r.reason === c.reason)!;
    row[c.outcome] += c.count;
    row.total += c.count;
    t.byOutcome[c.outcome] += c.count;
    t.total += c.count;
  }
  for (const d of times) {
    const t = of(d.site_id);
    t.decisions = d.decisions;
    t.medianSecondsToDecision = d.median_seconds === null ? null : Math.round(d.median_seconds * 1000) / 1000;
  }
  return [...sites.values()];
}

export interface ReportedComment {
  comment: ModeratedComment;
  score: number;
  firstReportedAt: string;
  reasons: { reason: ReportReason; count: number; weight: number }[];
  reports: ReportView[];
}

function toView(r: ReportRow): ReportView {
  return {
    id: r.id,
    reason: r.reason,
    detail: r.detail,
    weight: r.weight,
    outcome: r.outcome,
    createdAt: new Date(r.created_at).toISOString(),
    notice: r.notice,
  };
}

function reasonsOf(reports: ReportRow[]): ReportedComment['reasons'] {
  const by = new Map<ReportReason, { count: number; weight: number }>();
  for (const r of reports) {
    const seen = by.get(r.reason) ?? { count: 0, weight: 0 };
    by.set(r.reason, { count: seen.count + 1, weight: Math.round((seen.weight + r.weight) * 1000) / 1000 });
  }
  return [...by].map(([reason, v]) => ({ reason, ...v })).sort((a, b) => b.weight - a.weight);
}

/** Hidden by reports (not held by a filter or a moderator): a dismissal publishes it again. */
function hiddenByReports(row: LockedComment): boolean {
  return (
    row.status === 'pending' &&
    (row.reasons as { code?: unknown }[]).some((r) => typeof r === 'object' && r?.code === HIDDEN_CODE)
  );
}

export function createReportService(deps: {
  db: Db;
  sites: SiteService;
  secret: string;
  notifier: ChangeNotifier;
  limiter: ReportLimiter;
}) {
  const { db } = deps;
  const keyed = (kind: string, value: string) =>
    createHmac('sha256', deps.secret).update(`report-${kind}:${value}`).digest('hex');

  async function lockComment(tx: DbOrTx, who: Principal, commentId: string): Promise<LockedComment> {
    const [row] = uuidPattern.test(commentId) ? await findCommentsForUpdate(tx, [commentId]) : [];
    if (!row) {
      if (!isAdmin(who)) throw forbidden();
      throw new NotFoundError(`No comment with id "${commentId.slice(0, 100)}".`);
    }
    requireSite(who, row.site_id);
    return row;
  }

  async function describe(tx: DbOrTx, commentId: string, reports: ReportRow[]): Promise<ReportedComment> {
    const open = reports.filter((r) => r.outcome === 'open');
    return {
      comment: toModeratedComment((await findCommentWithArticle(tx, commentId))!),
      score: weightedScore(open),
      firstReportedAt: new Date(reports[0]!.created_at).toISOString(),
      reasons: reasonsOf(open),
      reports: reports.map(toView),
    };
  }

  /**
   * Closes the open reports with a decision, counts it for each reporter and writes `report.resolved`,
   * in the caller's transaction (after the comment's own change, if any); returns the event's id.
   */
  async function decide(
    tx: DbOrTx,
    who: Principal,
    row: LockedComment,
    open: ReportRow[],
    outcome: 'upheld' | 'dismissed',
  ): Promise<string> {
    const closed = await resolveOpenReports(tx, row.id, outcome, who.userId);
    await countDecisions(tx, row.site_id, [...new Set(closed.map((r) => r.reporter_key))], outcome);
    const status = (await findCommentWithArticle(tx, row.id))!.status;
    const event = reportEvent('report.resolved', row, status, actorOf(who), {
      outcome,
      reports: closed.length,
      score: weightedScore(open),
      reasons: reasonsOf(open),
    });
    await writeCommentEvents(tx, { commentId: row.id, siteId: row.site_id, events: [event] });
    return event.id;
  }

  async function announce(row: LockedComment, eventId: string, change: CommentChange | null) {
    if (change) await notifyArticles(deps.notifier, [change]);
    await deps.notifier.committed({
      siteId: row.site_id,
      articleId: row.article_external_id,
      threadChanged: false,
      eventIds: [eventId],
    });
  }

  return {
    /**
     * A reader's report. Stores nothing for a reporter who already reported the comment (and answers
     * the same: the reader learns nothing about other reports).
     */
    async submit(
      siteId: string,
      commentId: string,
      input: ReportInput,
      client: { ip: string | null },
    ): Promise<{ articleUrl: string | null }> {
      const site = await deps.sites.find(siteId);
      if (!site) throw new NotFoundError(`No site "${siteId.slice(0, 100)}".`);
      const unknown = () => new NotFoundError('No published comment with this id on this site.');
      if (!uuidPattern.test(commentId)) throw unknown();
      const address = clientKey(client.ip);
      const ipKey = address ? keyed('ip', address) : null;
      const deviceKey = input.reporterToken ? keyed('token', input.reporterToken) : null;
      // Without a token the address is the reporter (every reader of an unknown address is one).
      const reporterKey = deviceKey ?? ipKey ?? keyed('ip', 'unknown');
      let articleUrl: string | null = null;
      const hidden = await db.transaction().execute(async (tx) => {
        const [row] = await findCommentsForUpdate(tx, [commentId]);
        if (!row || row.site_id !== siteId || row.status !== 'approved') throw unknown();
        articleUrl = row.article_url;
        if (await hasReported(tx, commentId, reporterKey, deviceKey ? null : ipKey)) return null;
        await deps.limiter.take(siteId, { address: ipKey, device: deviceKey });
        const decisions = await findDecisions(tx, siteId, reporterKey);
        const stored = await insertReport(tx, {
          id: uuidv7(),
          siteId,
          commentId,
          reporterKey,
          ipKey,
          reason: input.reason,
          detail: input.detail ?? null,
          notice:
            input.reason === 'illegal'
              ? {
                  law: input.law!,
                  explanation: input.explanation!,
                  reporterName: input.reporterName!,
                  reporterEmail: input.reporterEmail!,
                  goodFaith: true,
                }
              : null,
          weight: reliability(decisions),
          fresh: !decisions || decisions.upheld + decisions.dismissed === 0,
        });
        if (!stored) return null;
        const open = await listOpenReportsOfComment(tx, commentId);
        const score = weightedScore(open);
        const before = open.filter((r) => r.reporter_key !== reporterKey);
        const queueAt = site.settings.reportQueueThreshold;
        const queued = (rs: ReportRow[]) => weightedScore(rs) >= queueAt || rs.some((r) => r.reason === 'illegal');
        const summary = (hidden: boolean) => ({ score, queueThreshold: queueAt, hidden, reasons: reasonsOf(open) });
        const article = row.article_external_id;
        const hideAt = site.settings.reportHideThreshold;
        if (hideAt === null || score < hideAt) {
          if (queued(before) || !queued(open)) return null;
          const event = reportEvent('comment.reported', row, row.status, REPORTS_ACTOR, summary(false));
          await writeCommentEvents(tx, { commentId, siteId, events: [event] });
          return { articleId: article, eventIds: [event.id], threadChanged: false };
        }
        const reported = reportEvent('comment.reported', row, 'pending', REPORTS_ACTOR, summary(true));
        // The one move from published back to pending: made by reports alone, never by a moderator.
        const eventIds = await applyTransition(tx, {
          comment: snapshotOf(row),
          article: { externalId: row.article_external_id, url: row.article_url, title: row.article_title },
          to: 'pending',
          actor: REPORTS_ACTOR,
          reasons: [
            ...(row.reasons as unknown[]),
            {
              action: 'hold',
              code: HIDDEN_CODE,
              detail: 'Hidden pending review: reported by readers.',
              data: { score, threshold: hideAt },
            },
          ],
          extraEvents: [reported],
        });
        const moves = [{ commentId, from: row.status, to: 'pending' as const, actor: REPORTS_ACTOR }];
        return { articleId: article, eventIds, threadChanged: true, moves };
      });
      if (hidden) await deps.notifier.committed({ siteId, ...hidden });
      return { articleUrl };
    },

    /** The Reported queue of a site: comments whose open reports reach its queue threshold (or an illegal notice), highest score first. */
    async queue(who: Principal, siteId: string): Promise<ReportedComment[]> {
      requireSite(who, siteId);
      const site = await deps.sites.find(siteId);
      if (!site) throw new NotFoundError(`No site "${siteId.slice(0, 100)}".`);
      const byComment = new Map<string, ReportRow[]>();
      for (const r of await listOpenReportsOfSite(db, siteId))
        byComment.set(r.comment_id, [...(byComment.get(r.comment_id) ?? []), r]);
      const queued = [...byComment].filter(
        ([, rs]) => weightedScore(rs) >= site.settings.reportQueueThreshold || rs.some((r) => r.reason === 'illegal'),
      );
      const out = await Promise.all(queued.map(([id, rs]) => describe(db, id, rs)));
      return out.sort((a, b) => b.score - a.score || a.firstReportedAt.localeCompare(b.firstReportedAt));
    },

    /** The site's transparency figures (every report ever filed there, and the decisions on them). */
    async transparency(who: Principal, siteId: string): Promise<ReportTransparency> {
      requireSite(who, siteId);
      if (!(await deps.sites.find(siteId))) throw new NotFoundError(`No site "${siteId.slice(0, 100)}".`);
      return (await transparencyOf(db, siteId))[0]!;
    },

    /** Every report of one comment, decided or not. */
    async ofComment(who: Principal, commentId: string): Promise<ReportedComment> {
      return db.transaction().execute(async (tx) => {
        const row = await lockComment(tx, who, commentId);
        const reports = await listReportsOfComment(tx, row.id);
        if (reports.length === 0) throw new NotFoundError('This comment has no reports.');
        return describe(tx, row.id, reports);
      });
    },

    /** The reports were wrong: they are dismissed, and a comment they hid is published again. */
    async dismiss(who: Principal, commentId: string, note: string | null): Promise<ReportedComment> {
      const out = await db.transaction().execute(async (tx) => {
        const row = await lockComment(tx, who, commentId);
        const reports = await listOpenReportsOfComment(tx, row.id);
        if (reports.length === 0) throw new NotFoundError('This comment has no open reports.');
        const change = hiddenByReports(row) ? await transitionRow(tx, row, 'approved', actorOf(who), note) : null;
        const eventId = await decide(tx, who, row, reports, 'dismissed');
        return { row, eventId, change, view: await describe(tx, row.id, await listReportsOfComment(tx, row.id)) };
      });
      await announce(out.row, out.eventId, out.change);
      return out.view;
    },

    /** The reports were right: the comment is rejected or marked spam, and the reports are upheld. */
    async uphold(
      who: Principal,
      commentId: string,
      action: 'reject' | 'spam',
      note: string | null,
    ): Promise<ReportedComment> {
      const out = await db.transaction().execute(async (tx) => {
        const row = await lockComment(tx, who, commentId);
        const reports = await listOpenReportsOfComment(tx, row.id);
        if (reports.length === 0) throw new NotFoundError('This comment has no open reports.');
        const to = action === 'reject' ? 'rejected' : 'spam';
        const change = await transitionRow(tx, row, to, actorOf(who), note);
        const eventId = await decide(tx, who, row, reports, 'upheld');
        return { row, eventId, change, view: await describe(tx, row.id, await listReportsOfComment(tx, row.id)) };
      });
      await announce(out.row, out.eventId, out.change);
      return out.view;
    },
  };
}

export type ReportService = ReturnType<typeof createReportService>;
