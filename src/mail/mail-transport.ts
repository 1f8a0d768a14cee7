// What sends a mail. Two implementations: SMTP (smtp.transport.ts) and the kept store for the embedded
// mode (kept.transport.ts). Workers call send() from queue jobs; a request never does.
import type { MailMessage, SendResult } from './mail-message.ts';

export interface MailTransport {
  readonly kind: 'smtp' | 'kept';
  /** Resolves once the SMTP server accepted the message (or it is stored); rejects with MailSendError. */
  send(message: MailMessage): Promise<SendResult>;
  /** Checks the connection and credentials without sending (SMTP), or that the store answers. */
  verify(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Why a send failed, in terms the job can act on:
 * - transient: try again later (network, timeout, a 4xx reply, credentials the operator may still fix);
 *   the mail is delayed, never lost, until the job runs out of attempts.
 * - permanent: the same message would be refused again (a 5xx reply such as 550 mailbox unavailable);
 *   fail the job, and when `recipientRefused` suppress the address.
 */
export type MailFailureKind = 'transient' | 'permanent';

export class MailSendError extends Error {
  override name = 'MailSendError';
  constructor(
    message: string,
    readonly failure: MailFailureKind,
    readonly details: {
      /** The SMTP reply code (451, 550…), when the server answered. */
      responseCode: number | null;
      /** nodemailer's error code (ECONNECTION, ETIMEDOUT, EENVELOPE…), or our own. */
      code: string | null;
      /** True when the server refused this recipient (a bounce at RCPT TO), rather than the message. */
      recipientRefused: boolean;
    },
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  get transient(): boolean {
    return this.failure === 'transient';
  }
}
