// Composes one of our messages into raw MIME with nodemailer's own MailComposer (what the SMTP
// transport sends, without a server) and parses it back with mailparser.
import { simpleParser } from 'mailparser';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { MailAddress } from '../../../src/mail/header-safety.ts';
import type { MailMessage } from '../../../src/mail/mail-message.ts';
import { toNodemailerMessage } from '../../../src/mail/smtp.transport.ts';

export async function compose(
  message: MailMessage,
  from: MailAddress = { name: null, address: 'noreply@example.com' },
) {
  const raw = (await new MailComposer(toNodemailerMessage(message, from)).compile().build()).toString('utf8');
  const head = raw.slice(0, raw.search(/\r?\n\r?\n/)).replace(/\r?\n[ \t]+/g, ' ');
  const headerLines = (name: string) =>
    head.split(/\r?\n/).filter((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return { raw, head, headerLines, parsed: await simpleParser(raw) };
}
