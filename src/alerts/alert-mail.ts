// Moderator alerts as mail: one newly held comment (immediate), or the held comments of a period
// (hourly or daily digest). Links go to the dashboard, where the moderator signs in as usual: a link
// never carries a credential, so a forwarded alert opens nothing.
import { absoluteUrl } from '../mail/mail-links.ts';
import type { MailMessage } from '../mail/mail-message.ts';
import { renderMail } from '../mail/render-mail.ts';

export interface HeldComment {
  id: string;
  name: string;
  body: string;
  articleTitle: string | null;
  articleId: string;
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

export function heldCommentAlert(ctx: AlertContext, c: HeldComment, dedupeKey: string): MailMessage {
  return renderMail({
    kind: 'moderation_alert',
    siteId: ctx.siteId,
    siteName: ctx.siteName,
    to: { address: ctx.to, name: null },
    subject: `Comment waiting on ${ctx.siteName}: ${c.name} on ${c.articleTitle || c.articleId}`,
    heading: 'A comment is waiting for review',
    blocks: [
      { type: 'quote', text: excerpt(c.body), attribution: `${c.name} wrote on ${c.articleTitle || c.articleId}` },
      { type: 'action', label: 'Review it', url: absoluteUrl(ctx.baseUrl, `/dashboard/comments/${c.id}`) },
    ],
    footer: footer(ctx),
    dedupeKey,
  });
}

export function heldDigest(ctx: AlertContext, held: HeldComment[], dedupeKey: string): MailMessage {
  const shown = held.slice(0, 20);
  return renderMail({
    kind: 'digest',
    siteId: ctx.siteId,
    siteName: ctx.siteName,
    to: { address: ctx.to, name: null },
    subject: `${held.length} new comment${held.length === 1 ? '' : 's'} waiting on ${ctx.siteName}`,
    heading: `${held.length} new comment${held.length === 1 ? ' is' : 's are'} waiting for review`,
    blocks: shown.flatMap((c) => [
      { type: 'quote' as const, text: excerpt(c.body), attribution: `${c.name} on ${c.articleTitle || c.articleId}` },
      { type: 'link' as const, label: 'Review it', url: absoluteUrl(ctx.baseUrl, `/dashboard/comments/${c.id}`) },
    ]),
    footer: footer(ctx),
    dedupeKey,
  });
}
