// The digest a subscriber gets once past the site's daily cap: every notice held back since, in one
// mail, each comment quoted with its link. Reader text enters only through renderMail, which cleans it.
import { manageCommentsUrl } from '../mail/mail-links.ts';
import type { MailMessage } from '../mail/mail-message.ts';
import type { MailBlock } from '../mail/mail-template.ts';
import { renderMail } from '../mail/render-mail.ts';
import type { SubscriptionRow } from './subscription.repository.ts';
import { unsubscribeSiteUrl, unsubscribeUrl } from './subscription-links.ts';
import { type ArticleRef, type LinkContext, type ReplyRef, titleOf } from './subscription-mail.ts';

export interface DigestItem {
  sub: SubscriptionRow;
  article: ArticleRef;
  comment: ReplyRef;
}

/** Shown in full; the rest are counted (the mail stays readable, and the thread has them all). */
const SHOWN = 50;

export function replyDigestMail(
  ctx: LinkContext & { cap: number; cadence: 'hourly' | 'daily' },
  items: DigestItem[],
  dedupeKey: string,
): MailMessage {
  const first = items[0]!.sub;
  const subs = [...new Map(items.map((i) => [i.sub.id, i])).values()];
  const all = unsubscribeSiteUrl(ctx.baseUrl, ctx.secret, first.site_id, first.email_hash);
  // One-click stops what this mail is about: the one subscription, or (several) everything on the site.
  const oneClick = subs.length === 1 ? unsubscribeUrl(ctx.baseUrl, ctx.secret, first.id) : all;
  const n = items.length;
  const plural = n === 1 ? 'comment' : 'comments';
  const blocks: MailBlock[] = items.slice(0, SHOWN).flatMap(({ sub, article, comment }): MailBlock[] => {
    const name = comment.name || 'Someone';
    const link = article.url ? `${article.url.split('#')[0]}#comment-${comment.id}` : null;
    const what = sub.kind === 'replies' ? 'replied to you on' : 'commented on';
    return [
      { type: 'quote', text: comment.body, attribution: `${name} ${what} “${titleOf(article)}”` },
      ...(link ? [{ type: 'link' as const, label: 'Read it', url: link }] : []),
    ];
  });
  if (n > SHOWN) blocks.push({ type: 'paragraph', text: `And ${n - SHOWN} more on the site.` });
  const when = ctx.cadence === 'daily' ? 'once a day' : 'once an hour';
  return renderMail({
    kind: 'reply_digest',
    siteId: first.site_id,
    siteName: ctx.siteName,
    to: { address: first.email, name: first.name },
    subject: `${n} more new ${plural} for you on ${ctx.siteName}`,
    heading: `${n} new ${plural} since your last mail`,
    blocks: [
      {
        type: 'paragraph',
        text: `${ctx.siteName} sends at most ${ctx.cap} notice mail${ctx.cap === 1 ? '' : 's'} a day to one address; the rest come together here, ${when}.`,
      },
      ...blocks,
    ],
    footer: {
      reason: `You asked ${ctx.siteName} to email you about new comments.`,
      links: [
        ...subs.slice(0, 10).map((i) => ({
          label: `Unsubscribe from “${titleOf(i.article)}”`,
          url: unsubscribeUrl(ctx.baseUrl, ctx.secret, i.sub.id),
        })),
        { label: `Unsubscribe from everything on ${ctx.siteName}`, url: all },
        { label: 'Manage my comments', url: manageCommentsUrl(ctx.baseUrl, first.site_id) },
      ],
    },
    listUnsubscribe: { url: oneClick },
    dedupeKey,
  });
}
