// Picks the transport the configuration asks for: SMTP when SMTP_URL is set, else the kept store.
import type { MailConfig } from '../config/env.ts';
import type { Db } from '../db/database.ts';
import type { MailAddress } from './header-safety.ts';
import { createKeptTransport } from './kept.transport.ts';
import type { MailTransport } from './mail-transport.ts';
import { createSmtpTransport, type SmtpTransportOptions } from './smtp.transport.ts';

/** Kept mail never leaves the machine, so without MAIL_FROM it gets a From that says where it is from. */
export function keptFromAddress(config: MailConfig, publicUrl: string | null): MailAddress {
  if (config.from) return config.from;
  const host = publicUrl ? new URL(publicUrl).hostname : 'localhost';
  return { name: null, address: `noreply@${host}` };
}

export function createMailTransport(
  config: MailConfig,
  deps: { db: Db; publicUrl: string | null; smtp?: Pick<SmtpTransportOptions, 'timeouts' | 'maxConnections'> },
): MailTransport {
  if (config.smtpUrl && config.from) {
    return createSmtpTransport({ url: config.smtpUrl, from: config.from, ...deps.smtp });
  }
  return createKeptTransport(deps.db, { from: keptFromAddress(config, deps.publicUrl) });
}

/** The start log's line about mail (never the URL: it may hold a password). */
export function describeMailMode(config: MailConfig): string {
  if (config.smtpUrl && config.from) {
    const url = new URL(config.smtpUrl);
    return `mail: sending through SMTP at ${url.hostname}${url.port ? `:${url.port}` : ''} as ${config.from.address}`;
  }
  return 'mail: no SMTP_URL set, so mail is kept in the database; admins read it on the dashboard Mail page';
}
