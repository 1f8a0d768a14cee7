// Sends a rendered mail once per dedupe key, and keeps a row of it in mail_messages either way: the
// kept transport stores it itself; after an SMTP send we record it as 'sent', so a retried job whose
// mail already went out sends nothing, and admins see what was mailed.
import type { Db } from '../db/database.ts';
import { uuidv7 } from '../shared/ids.ts';
import { formatMailbox, type MailAddress } from './header-safety.ts';
import { findMailByDedupeKey, insertMailMessage } from './mail.repository.ts';
import type { MailMessage } from './mail-message.ts';
import type { MailTransport } from './mail-transport.ts';

export interface Mailer {
  readonly transport: MailTransport;
  /** False when a mail with this dedupe key was already sent. Rejects with MailSendError. */
  deliver(message: MailMessage): Promise<boolean>;
}

export function createMailer(deps: { db: Db; transport: MailTransport; from: MailAddress }): Mailer {
  const { db, transport } = deps;
  return {
    transport,
    async deliver(message) {
      if (message.dedupeKey && (await findMailByDedupeKey(db, message.dedupeKey))) return false;
      await transport.send(message);
      if (transport.kind === 'smtp') {
        await insertMailMessage(db, {
          id: uuidv7(),
          siteId: message.siteId,
          kind: message.kind,
          toAddress: message.to.address,
          toName: message.to.name,
          fromHeader: formatMailbox({ name: deps.from.name ?? message.siteName, address: deps.from.address }),
          subject: message.subject,
          textBody: message.text,
          htmlBody: message.html,
          headers: { ...message.headers } as Record<string, string>,
          dedupeKey: message.dedupeKey,
          status: 'sent',
          sentAt: new Date(),
        });
      }
      return true;
    },
  };
}
