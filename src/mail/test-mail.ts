// The mail `mail:test --to E` sends: proves the transport works end to end, and shows what our mail
// looks like (both parts, the site's name, an absolute link).
import { mailAddress } from './header-safety.ts';
import { absoluteUrl } from './mail-links.ts';
import type { SendResult } from './mail-message.ts';
import type { MailTransport } from './mail-transport.ts';
import { renderMail } from './render-mail.ts';

export interface TestMailOptions {
  /** The service's public origin, for the dashboard link. */
  baseUrl: string;
  siteName?: string;
  now?: Date;
}

/** Throws ValidationError for a bad address (before anything is sent), MailSendError if sending fails. */
export async function sendTestMail(transport: MailTransport, to: string, o: TestMailOptions): Promise<SendResult> {
  const siteName = o.siteName ?? 'Comments';
  const when = (o.now ?? new Date()).toISOString();
  const message = renderMail({
    kind: 'test',
    siteId: null,
    siteName,
    to: mailAddress(to.trim()),
    subject: `Test mail from ${siteName}`,
    heading: 'Mail works',
    blocks: [
      { type: 'paragraph', text: `This is a test mail, sent at ${when} through the ${transport.kind} transport.` },
      { type: 'paragraph', text: 'Reply notifications, confirmations and moderator alerts will look like this.' },
      { type: 'action', label: 'Open the dashboard', url: absoluteUrl(o.baseUrl, '/dashboard') },
    ],
    footer: { reason: 'You get this mail because an operator ran mail:test with your address.', links: [] },
  });
  return transport.send(message);
}
