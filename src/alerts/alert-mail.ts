// Moderator alerts as mail: one newly held or newly reported comment (immediate), or those of a period
// (hourly or daily digest, held and reported in their own sections). Links go to the dashboard, where
// the moderator signs in as usual: a link never carries a credential, so a forwarded alert opens nothing.
import { absoluteUrl } from '../mail/mail-links.ts';
import type { MailMessage } from '../mail/mail-message.ts';
import type { MailBlock } from '../mail/mail-template.ts';
import { renderMail } from '../mail/render-mail.ts';

export interface HeldComment {
  id: string;
  name: string;
  body: string;
  articleTitle: string | null;
  articleId: string;
}

/** A comment in the Reported queue: the reports' summary only, never who reported. */
export interface ReportedComment extends HeldComment {
  score: number;
  hidden: boolean;
  reasons: { reason: string; count: number }[];
}

interface AlertContext {
  baseUrl: string;
  siteId: string;
  siteName: string;
  to: string;
}

const footer = (ctx: AlertContext) => ({
  reason: `You get this mail because your alerts for ${ctx.siteName} are on. Change them with: npm run cli -- alerts:set --email ${ctx.to} --site ${ctx.siteId} --frequency off`,
  links: [{ label: 'Open the review queue', url: absoluteUrl(ctx.baseUrl, '/dashboard/queue', { site: ctx.siteId }) }],
});

const excerpt = (text: string) => (text.length > 300 ? `${text.slice(0, 300)}…` : text);
const where = (c: HeldComment) => c.articleTitle || c.articleId;
const review = (ctx: AlertContext, c: HeldComment, type: 'action' | 'link'): MailBlock => ({
  type,
  label: 'Review it',
  url: absoluteUrl(ctx.baseUrl, `/dashboard/comments/${c.id}`),
});
const s = (n: number) => (n === 1 ? '' : 's');

/** "spam (2), off topic (1); weighted 1.5": the reasons in words, as the Reported queue shows them. */
function reportSummary(c: ReportedComment): string {
  const reasons = c.reasons.map((r) => `${r.reason.replace(/_/g, ' ')} (${r.count})`).join(', ');
  const state = c.hidden ? ' Hidden from the thread until a moderator decides.' : '';
  return `Reported for ${reasons || 'no stated reason'}; weighted score ${c.score}.${state}`;
}

export function heldCommentAlert(ctx: AlertContext, c: HeldComment, dedupeKey: string): MailMessage {
  return renderMail({
    kind: 'moderation_alert',
    siteId: ctx.siteId,
    siteName: ctx.siteName,
    to: { address: ctx.to, name: null },
    subject: `Comment waiting on ${ctx.siteName}: ${c.name} on ${where(c)}`,
    heading: 'A comment is waiting for review',
    blocks: [
      { type: 'quote', text: excerpt(c.body), attribution: `${c.name} wrote on ${where(c)}` },
      review(ctx, c, 'action'),
    ],
    footer: footer(ctx),
    dedupeKey,
  });
}

export function reportedCommentAlert(ctx: AlertContext, c: ReportedComment, dedupeKey: string): MailMessage {
  return renderMail({
    kind: 'moderation_alert',
    siteId: ctx.siteId,
    siteName: ctx.siteName,
    to: { address: ctx.to, name: null },
    subject: `Comment ${c.hidden ? 'hidden by reports' : 'reported'} on ${ctx.siteName}: ${c.name} on ${where(c)}`,
    heading: c.hidden ? "Readers' reports hid a comment until you decide" : 'Readers reported a comment',
    blocks: [
      { type: 'quote', text: excerpt(c.body), attribution: `${c.name} wrote on ${where(c)}` },
      { type: 'paragraph', text: reportSummary(c) },
      review(ctx, c, 'action'),
    ],
    footer: footer(ctx),
    dedupeKey,
  });
}

const SHOWN = 20;

/** The digest of a period: held comments, then reported ones (at most 20 of each shown). */
export function moderationDigest(
  ctx: AlertContext,
  held: HeldComment[],
  reported: ReportedComment[],
  dedupeKey: string,
): MailMessage {
  const counts = [
    held.length ? `${held.length} new comment${s(held.length)} waiting` : null,
    reported.length ? `${reported.length} comment${s(reported.length)} reported` : null,
  ].filter((x): x is string => x !== null);
  const blocks: MailBlock[] = [];
  if (held.length && reported.length) blocks.push({ type: 'paragraph', text: 'Waiting for review:' });
  for (const c of held.slice(0, SHOWN))
    blocks.push(
      { type: 'quote', text: excerpt(c.body), attribution: `${c.name} on ${where(c)}` },
      review(ctx, c, 'link'),
    );
  if (reported.length) blocks.push({ type: 'paragraph', text: 'Reported by readers:' });
  for (const c of reported.slice(0, SHOWN))
    blocks.push(
      { type: 'quote', text: excerpt(c.body), attribution: `${c.name} on ${where(c)}` },
      { type: 'paragraph', text: reportSummary(c) },
      review(ctx, c, 'link'),
    );
  return renderMail({
    kind: 'digest',
    siteId: ctx.siteId,
    siteName: ctx.siteName,
    to: { address: ctx.to, name: null },
    subject: `${counts.join(' and ')} on ${ctx.siteName}`,
    heading:
      reported.length === 0
        ? `${held.length} new comment${held.length === 1 ? ' is' : 's are'} waiting for review`
        : `${counts.join(' and ')}`,
    blocks,
    footer: footer(ctx),
    dedupeKey,
  });
}
