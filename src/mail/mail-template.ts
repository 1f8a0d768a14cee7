// One description of a mail, rendered twice: as plain text (here) and as HTML (mail-html.tsx). Callers
// describe what to say; they never write markup, so nothing they interpolate can escape its place.

export type MailBlock =
  | { type: 'paragraph'; text: string }
  /** A comment's text, quoted; `attribution` is e.g. "Ada Lovelace wrote". */
  | { type: 'quote'; text: string; attribution?: string }
  /** The mail's main link: a button in HTML, "Label:\n<url>" in text. */
  | { type: 'action'; label: string; url: string }
  | { type: 'link'; label: string; url: string };

export interface MailFooter {
  /** Why the reader gets this mail ("You asked to be told about replies to your comment on …"). */
  reason: string;
  /** Unsubscribe from this thread, from the whole site, manage my comments… (absolute URLs). */
  links: { label: string; url: string }[];
}

/** The description both parts are rendered from; every string is plain text, never markup. */
export interface MailContent {
  siteName: string;
  heading: string;
  blocks: MailBlock[];
  footer: MailFooter | null;
}

// Controls other than tab and newline, and lone surrogates, would make a part undecodable.
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Reader text for a mail body: newlines normalised, controls dropped, bounded. */
export function bodyText(value: string, maxLength = 20_000): string {
  const cleaned = value.replace(/\r\n?/g, '\n').replace(LONE_SURROGATE, '\uFFFD').replace(CONTROL, '').trim();
  return cleaned.length <= maxLength ? cleaned : `${cleaned.slice(0, maxLength).replace(/[\uD800-\uDBFF]$/, '')}…`;
}

function blockText(block: MailBlock): string {
  switch (block.type) {
    case 'paragraph':
      return block.text;
    case 'quote': {
      const quoted = block.text
        .split('\n')
        .map((line) => (line ? `> ${line}` : '>'))
        .join('\n');
      return block.attribution ? `${block.attribution}:\n${quoted}` : quoted;
    }
    case 'action':
    case 'link':
      return `${block.label}:\n${block.url}`;
  }
}

/** The plain-text part. "-- " (with the space) is the signature separator mail clients recognise. */
export function renderText(content: MailContent): string {
  const parts = [content.siteName, content.heading, ...content.blocks.map(blockText)];
  const lines = [parts.join('\n\n')];
  if (content.footer) {
    const links = content.footer.links.map((l) => `${l.label}: ${l.url}`);
    lines.push(`-- \n${[content.footer.reason, ...links].join('\n')}`);
  }
  return `${lines.join('\n\n')}\n`;
}
