// The embedded default: no SMTP server, so mail is kept in the database and shown to admins on the
// dashboard's Mail page (links clickable), and a newcomer sees the whole loop on one machine.
import type { Db } from '../db/database.ts';
import { uuidv7 } from '../shared/ids.ts';
import { formatMailbox, type MailAddress } from './header-safety.ts';
import { getMailMessage, insertMailMessage } from './mail.repository.ts';
import type { MailMessage, SendResult } from './mail-message.ts';
import { MailSendError, type MailTransport } from './mail-transport.ts';

export function createKeptTransport(db: Db, o: { from: MailAddress; now?: () => Date }): MailTransport {
  const now = o.now ?? (() => new Date());
  return {
    kind: 'kept',
    async send(message: MailMessage): Promise<SendResult> {
      try {
        const { id } = await insertMailMessage(db, {
          id: uuidv7(),
          siteId: message.siteId,
          kind: message.kind,
          toAddress: message.to.address,
          toName: message.to.name,
          fromHeader: formatMailbox({ name: o.from.name ?? message.siteName, address: o.from.address }),
          subject: message.subject,
          textBody: message.text,
          htmlBody: message.html,
          headers: { ...message.headers } as Record<string, string>,
          dedupeKey: message.dedupeKey,
          status: 'kept',
          sentAt: now(),
        });
        return { messageId: id };
      } catch (err) {
        // The database being away is the kept transport's "SMTP server down": try again later.
        throw new MailSendError(
          'could not keep the mail in the database',
          'transient',
          {
            responseCode: null,
            code: 'EKEPT',
            recipientRefused: false,
          },
          { cause: err },
        );
      }
    },
    async verify() {
      await getMailMessage(db, '00000000-0000-0000-0000-000000000000');
    },
    async close() {},
  };
}
