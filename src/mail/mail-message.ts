// One mail, ready for a transport: both parts rendered, headers checked, recipient validated.
import type { AllowedHeader, MailAddress } from './header-safety.ts';

export const MAIL_KINDS = [
  'test',
  'confirm_subscription',
  'reply',
  'reply_digest',
  'digest',
  'comment_decision',
  'moderation_alert',
  'manage_comments',
] as const;
export type MailKind = (typeof MAIL_KINDS)[number];

export interface MailMessage {
  kind: MailKind;
  /** The site the mail is about (null for test mail and other service-wide mail). */
  siteId: string | null;
  /** Shown in the mail and, unless MAIL_FROM has a name of its own, as the From display name. */
  siteName: string;
  to: MailAddress;
  subject: string;
  text: string;
  html: string;
  headers: Partial<Record<AllowedHeader, string>>;
  /**
   * Identifies this mail across retries of the job that sends it (e.g. "reply:<commentId>:<subscriptionId>"):
   * the kept transport stores it once, and SMTP derives the Message-ID from it, so a retried job is
   * recognisable as the same message.
   */
  dedupeKey: string | null;
}

export interface SendResult {
  /** The Message-ID header (SMTP) or the kept row's id. */
  messageId: string;
}
