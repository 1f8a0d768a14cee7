// Mail over SMTP with nodemailer: a pool of connections reused across jobs, bounded waits everywhere
// (a hung SMTP server must free the worker, not hold it), TLS as the URL says (smtps:// is implicit
// TLS; smtp:// upgrades with STARTTLS when the server offers it, `?requireTLS=true` insists).
import { createHash } from 'node:crypto';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import type { MailAddress } from './header-safety.ts';
import type { MailMessage, SendResult } from './mail-message.ts';
import { MailSendError, type MailTransport } from './mail-transport.ts';

export interface SmtpTransportOptions {
  url: string;
  from: MailAddress;
  timeouts?: { connectionMs?: number; greetingMs?: number; socketMs?: number };
  maxConnections?: number;
}

// Errors that say the message itself was unacceptable before any server judged it: sending the same
// message again would fail the same way.
const MESSAGE_ERRORS = new Set(['EENVELOPE', 'EMESSAGE', 'ESTREAM', 'EMAXRECIPIENTS', 'EFILEACCESS', 'EURLACCESS']);

// Refusals that are about our configuration, not this message: a login or TLS the server will not do.
// Every mail fails the same way until the operator fixes it, so none is failed for good meanwhile.
const OPERATOR_FIXES = new Set(['EAUTH', 'ENOAUTH', 'ETLS', 'EREQUIRETLS']);

interface SmtpErrorShape {
  message?: string;
  code?: string;
  responseCode?: number;
  permanent?: boolean;
  command?: string;
}

/**
 * Transient: no reply (refused, reset, timed out, DNS), a 4xx reply, 503, and a refused login or TLS
 * upgrade (a password the operator is about to fix must not cost every mail meanwhile; the job's
 * attempts still bound it). Permanent: a 5xx reply (nodemailer's `permanent` flag follows
 * RFC 5321), or a message nodemailer refused to build.
 */
export function classifySmtpError(err: unknown): MailSendError {
  const e = (typeof err === 'object' && err !== null ? err : { message: String(err) }) as SmtpErrorShape;
  const responseCode = typeof e.responseCode === 'number' ? e.responseCode : null;
  const code = typeof e.code === 'string' ? e.code : null;
  let permanent: boolean;
  if (code !== null && OPERATOR_FIXES.has(code)) permanent = false;
  else if (responseCode !== null) permanent = e.permanent ?? (responseCode >= 500 && responseCode !== 503);
  else permanent = code !== null && MESSAGE_ERRORS.has(code);
  const recipientRefused = permanent && responseCode !== null && /^RCPT/i.test(e.command ?? '');
  // The server's reply may quote the address; the message stays on the moderation side (job logs).
  const text = `SMTP ${responseCode ?? code ?? 'error'}: ${(e.message ?? 'send failed').slice(0, 300)}`;
  return new MailSendError(
    text,
    permanent ? 'permanent' : 'transient',
    { responseCode, code, recipientRefused },
    {
      cause: err,
    },
  );
}

/** A Message-ID derived from the dedupe key: a retried job sends the same id, so duplicates are recognisable. */
function messageIdFor(dedupeKey: string, fromAddress: string): string {
  const domain = fromAddress.slice(fromAddress.lastIndexOf('@') + 1);
  return `<${createHash('sha256').update(dedupeKey).digest('hex').slice(0, 32)}@${domain}>`;
}

/** The nodemailer message for one of ours; also what unit tests compose with nodemailer's MailComposer. */
export function toNodemailerMessage(message: MailMessage, from: MailAddress): SendMailOptions {
  return {
    from: { name: from.name ?? message.siteName, address: from.address },
    to: { name: message.to.name ?? '', address: message.to.address },
    subject: message.subject,
    text: message.text,
    html: message.html,
    headers: { ...message.headers },
    ...(message.dedupeKey ? { messageId: messageIdFor(message.dedupeKey, from.address) } : {}),
    // Content is ours; it never names files or URLs to fetch.
    disableFileAccess: true,
    disableUrlAccess: true,
  };
}

export function createSmtpTransport(o: SmtpTransportOptions): MailTransport {
  const transporter = nodemailer.createTransport({
    url: o.url,
    pool: true,
    maxConnections: o.maxConnections ?? 3,
    connectionTimeout: o.timeouts?.connectionMs ?? 15_000,
    greetingTimeout: o.timeouts?.greetingMs ?? 15_000,
    socketTimeout: o.timeouts?.socketMs ?? 60_000,
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  return {
    kind: 'smtp',
    async send(message: MailMessage): Promise<SendResult> {
      try {
        const info = await transporter.sendMail(toNodemailerMessage(message, o.from));
        return { messageId: info.messageId };
      } catch (err) {
        throw classifySmtpError(err);
      }
    },
    async verify() {
      try {
        await transporter.verify();
      } catch (err) {
        throw classifySmtpError(err);
      }
    },
    async close() {
      transporter.close();
    },
  };
}
