// Link spam: comments with many links are held (WordPress holds at two by default).
import type { Filter } from './filter.ts';

// A URL with a scheme or starting with "www.", an HTML link or a BBCode link. Bare domains
// ("Amazon.com") are too common in ordinary writing to count.
const LINK = /\bhttps?:\/\/[^\s<>"']+|\bwww\.[^\s<>"']+|<a\s[^>]*href|\[url[=\]]/gi;
const MAX_RECORDED_LINKS = 10;

function findLinks(text: string): string[] {
  return text.match(LINK) ?? [];
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
