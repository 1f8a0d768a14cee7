// Link spam: comments with many links are held (WordPress holds at two by default).
import type { Filter } from './filter.ts';

// A URL with a scheme or starting with "www.", an HTML link or a BBCode link. Bare domains
// ("Amazon.com") are too common in ordinary writing to count. An HTML link is "<a", a space, then
// "href" before the tag's ">": that part is found by hand (see anchorEnd), because the regular
// expression for it (<a\s[^>]*href) re-reads the rest of the tag from every "<a" and made
// "<a <a <a …" quadratic. Every alternative left here reads each character once.
const LINK = /\bhttps?:\/\/[^\s<>"']+|\bwww\.[^\s<>"']+|<a\s|\[url[=\]]/gi;
const MAX_RECORDED_LINKS = 10;

const lower = (u: number) => (u >= 0x41 && u <= 0x5a ? u + 0x20 : u);

/** Where the last "href" (any case) in text[from, to) ends, or -1. */
function lastHrefEnd(text: string, from: number, to: number): number {
  for (let i = to - 4; i >= from; i--) {
    if (
      lower(text.charCodeAt(i)) === 0x68 &&
      lower(text.charCodeAt(i + 1)) === 0x72 &&
      lower(text.charCodeAt(i + 2)) === 0x65 &&
      lower(text.charCodeAt(i + 3)) === 0x66
    )
      return i + 4;
  }
  return -1;
}

export function findLinks(text: string): string[] {
  const links: string[] = [];
  // "<a" starts before this offset lie in a tag already read: no "href" follows them before its ">".
  let deadUntil = -1;
  const re = new RegExp(LINK);
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const at = m.index;
    if (text.charCodeAt(at) !== 0x3c) {
      links.push(m[0]);
      continue;
    }
    // As <a\s[^>]*href would: up to the last "href" before the next ">".
    if (at < deadUntil) continue;
    const gt = text.indexOf('>', at + 3);
    const tagEnd = gt === -1 ? text.length : gt;
    deadUntil = tagEnd;
    const end = lastHrefEnd(text, at + 3, tagEnd);
    if (end === -1) continue;
    links.push(text.slice(at, end));
    re.lastIndex = end;
  }
  return links;
}

export const linkCountFilter: Filter = {
  name: 'link-count',
  run({ comment, settings }) {
    const limit = settings.linkLimit;
    if (limit === null) return null;
    const links = [...findLinks(comment.name), ...findLinks(comment.body)];
    if (links.length < limit) return null;
    return {
      action: 'hold',
      code: 'too_many_links',
      detail: `Has ${links.length} links; this site holds comments with ${limit} or more.`,
      data: { count: links.length, limit, links: links.slice(0, MAX_RECORDED_LINKS) },
    };
  },
};
