// What a subscriber is mailed: the confirmation (double opt-in) and the notice of a published reply.
// Reader text (names, comment bodies, titles) only ever enters through renderMail, which cleans it.

import { manageCommentsUrl } from '../mail/mail-links.ts';
import type { MailMessage } from '../mail/mail-message.ts';
import { renderMail } from '../mail/render-mail.ts';
import type { SubscriptionRow } from './subscription.repository.ts';
import { confirmUrl, unsubscribeSiteUrl, unsubscribeUrl } from './subscription-links.ts';

export interface LinkContext {
  baseUrl: string;
  secret: string;
  siteName: string;
}

export interface ArticleRef {
  /** The site's id of the article, named when it has no title. */
  id: string;
  title: string | null;
  url: string | null;
}

export const titleOf = (a: ArticleRef) => a.title || a.id;

export function confirmationMail(ctx: LinkContext, sub: SubscriptionRow, article: ArticleRef): MailMessage {
  const what = sub.kind === 'replies' ? 'replies to your comment on' : 'every new comment on';
  const never = unsubscribeSiteUrl(ctx.baseUrl, ctx.secret, sub.site_id, sub.email_hash);
  return renderMail({
    kind: 'confirm_subscription',
    siteId: sub.site_id,
    siteName: ctx.siteName,
    to: { address: sub.email, name: sub.name },
    subject: `Confirm: email me ${sub.kind === 'replies' ? 'replies' : 'new comments'} on ${titleOf(article)}`,
    heading: 'Please confirm your subscription',
    blocks: [
      {
        type: 'paragraph',
        text: `Someone, hopefully you, asked ${ctx.siteName} to email this address about ${what} “${titleOf(article)}”.`,
      },
      { type: 'paragraph', text: 'Nothing will be sent until you confirm. The link works once and expires in 7 days.' },
      { type: 'action', label: 'Confirm the subscription', url: confirmUrl(ctx.baseUrl, ctx.secret, sub.id) },
    ],
    footer: {
      reason: 'If this was not you, ignore this mail: without your click you get nothing more.',
      links: [
        { label: `Never email me from ${ctx.siteName}`, url: never },
        { label: 'Manage my comments', url: manageCommentsUrl(ctx.baseUrl, sub.site_id) },
      ],
    },
    listUnsubscribe: { url: never },
    dedupeKey: `confirm:${sub.id}`,
  });
}

export interface ReplyRef {
  id: string;
  name: string;
  body: string;
}

export function replyMail(ctx: LinkContext, sub: SubscriptionRow, article: ArticleRef, reply: ReplyRef): MailMessage {
  const one = unsubscribeUrl(ctx.baseUrl, ctx.secret, sub.id);
  const all = unsubscribeSiteUrl(ctx.baseUrl, ctx.secret, sub.site_id, sub.email_hash);
  const isReply = sub.kind === 'replies';
  const name = reply.name || 'Someone';
  const link = article.url ? `${article.url.split('#')[0]}#comment-${reply.id}` : null;
  return renderMail({
    kind: 'reply',
    siteId: sub.site_id,
    siteName: ctx.siteName,
    to: { address: sub.email, name: sub.name },
    subject: isReply ? `${name} replied to your comment on ${titleOf(article)}` : `New comment on ${titleOf(article)}`,
    heading: isReply ? `${name} replied to your comment` : `${name} commented on “${titleOf(article)}”`,
    blocks: [
      { type: 'quote', text: reply.body, attribution: `${name} wrote` },
      ...(link ? [{ type: 'action' as const, label: isReply ? 'Read the reply' : 'Read the comment', url: link }] : []),
    ],
    footer: {
      reason: isReply
        ? `You asked ${ctx.siteName} to email you replies to your comment on “${titleOf(article)}”.`
        : `You asked ${ctx.siteName} to email you new comments on “${titleOf(article)}”.`,
      links: [
        { label: 'Unsubscribe from this thread', url: one },
        { label: `Unsubscribe from everything on ${ctx.siteName}`, url: all },
        { label: 'Manage my comments', url: manageCommentsUrl(ctx.baseUrl, sub.site_id) },
      ],
    },
    listUnsubscribe: { url: one },
    // One mail per recipient per reply, whatever subscriptions of theirs it matched and however often
    // the reply is approved.
    dedupeKey: `reply:${reply.id}:${sub.email_hash}`,
  });
}

/**
 * The notice to an author whose held comment a moderator decided on. Only to an author who asked for
 * mail about this comment and confirmed the address: the subscription is the opt-in. `reasons` are
 * the event's reasons without values (codes and sentences), so the mail says why in words.
 */
export function decisionMail(
  ctx: LinkContext,
  sub: SubscriptionRow,
  article: ArticleRef,
  comment: { id: string; body: string },
  decision: { to: 'approved' | 'rejected'; reasons: string[] },
): MailMessage {
  const all = unsubscribeSiteUrl(ctx.baseUrl, ctx.secret, sub.site_id, sub.email_hash);
  const approved = decision.to === 'approved';
  const link = approved && article.url ? `${article.url.split('#')[0]}#comment-${comment.id}` : null;
  const why = decision.reasons.length ? `Why: ${decision.reasons.join(' ')}` : 'A moderator decided not to publish it.';
  return renderMail({
    kind: 'comment_decision',
    siteId: sub.site_id,
    siteName: ctx.siteName,
    to: { address: sub.email, name: sub.name },
    subject: approved
      ? `Your comment on ${titleOf(article)} is published`
      : `Your comment on ${titleOf(article)} was not published`,
    heading: approved ? 'Your comment is published' : 'Your comment was not published',
    blocks: [
      { type: 'quote', text: comment.body, attribution: 'You wrote' },
      approved
        ? { type: 'paragraph', text: `A moderator approved your comment on “${titleOf(article)}”.` }
        : { type: 'paragraph', text: why },
      ...(link ? [{ type: 'action' as const, label: 'See it on the page', url: link }] : []),
    ],
    footer: {
      reason: `You asked ${ctx.siteName} to email you about your comment on “${titleOf(article)}”.`,
      links: [{ label: `Unsubscribe from everything on ${ctx.siteName}`, url: all }],
    },
    listUnsubscribe: { url: all },
    dedupeKey: `decision:${comment.id}:${decision.to}`,
  });
}
