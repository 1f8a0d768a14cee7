// Template description → MailMessage: cleans every piece of reader text for its place, checks every
// link, and renders both parts from the same cleaned description.
import {
  checkHeaders,
  displayNameText,
  headerText,
  type MailAddress,
  mailAddress,
  subjectText,
} from './header-safety.ts';
import { renderHtml } from './mail-html.tsx';
import { checkLink, type ListUnsubscribe, listUnsubscribeHeaders } from './mail-links.ts';
import type { MailKind, MailMessage } from './mail-message.ts';
import { bodyText, type MailBlock, type MailContent, type MailFooter, renderText } from './mail-template.ts';

export interface MailTemplate {
  kind: MailKind;
  siteId: string | null;
  siteName: string;
  to: MailAddress;
  subject: string;
  heading: string;
  blocks: MailBlock[];
  footer?: MailFooter | null;
  /** One-click unsubscribe (RFC 8058): required on every mail a reader did not ask for right now. */
  listUnsubscribe?: ListUnsubscribe | null;
  dedupeKey?: string | null;
}

const LABEL_LENGTH = 120;
const MAX_HEADING = 200;

function cleanBlock(block: MailBlock): MailBlock {
  switch (block.type) {
    case 'paragraph':
      return { type: 'paragraph', text: bodyText(block.text) };
    case 'quote':
      return {
        type: 'quote',
        text: bodyText(block.text),
        ...(block.attribution ? { attribution: headerText(block.attribution, LABEL_LENGTH) } : {}),
      };
    case 'action':
    case 'link':
      return { type: block.type, label: headerText(block.label, LABEL_LENGTH), url: checkLink(block.url) };
  }
}

function cleanFooter(footer: MailFooter): MailFooter {
  return {
    reason: bodyText(footer.reason, 1_000),
    links: footer.links.map((l) => ({ label: headerText(l.label, LABEL_LENGTH), url: checkLink(l.url) })),
  };
}

export function renderMail(t: MailTemplate): MailMessage {
  const to = mailAddress(t.to.address, t.to.name);
  const subject = subjectText(t.subject);
  const siteName = displayNameText(t.siteName) || 'Comments';
  const content: MailContent = {
    siteName,
    heading: headerText(t.heading, MAX_HEADING),
    blocks: t.blocks.map(cleanBlock),
    footer: t.footer ? cleanFooter(t.footer) : null,
  };
  const headers = checkHeaders({
    ...(t.listUnsubscribe ? listUnsubscribeHeaders(t.listUnsubscribe) : {}),
    // RFC 3834: tells auto-responders (vacation replies) not to answer.
    'Auto-Submitted': 'auto-generated',
  });
  return {
    kind: t.kind,
    siteId: t.siteId,
    siteName,
    to,
    subject,
    text: renderText(content),
    html: renderHtml(content, subject),
    headers,
    dedupeKey: t.dedupeKey ?? null,
  };
}
