// Which of our articles an imported thread becomes. The widget names an article by the page's path
// unless the page says otherwise (data-article), so a thread is found again where readers will look
// for it: the id the old system's pages gave it (Disqus identifier), else its URL's path (with the
// query, for "?p=123" permalinks), else the source's own key. Our own export keeps our ids.
import type { ImportedArticle, ImportFormat } from '../imports/import.types.ts';
import { type RemapRule, remapUrl } from '../imports/remap.ts';

const MAX_ID = 200;

export interface ArticleIdentity {
  externalId: string;
  url: string | null;
}

function httpUrl(value: string | null): URL | null {
  if (!value) return null;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
  } catch {
    return null;
  }
}

function fits(id: string | null | undefined): id is string {
  return !!id && id.length <= MAX_ID;
}

export function articleIdentity(
  format: ImportFormat,
  a: Pick<ImportedArticle, 'sourceKey' | 'identifier' | 'url'>,
  rules: readonly RemapRule[],
): ArticleIdentity {
  const remapped = a.url ? remapUrl(rules, a.url) : null;
  const url = httpUrl(remapped);
  const stored = url ? url.href : null;
  if (format === 'jsonl' && fits(a.sourceKey)) return { externalId: a.sourceKey, url: stored };
  if (fits(a.identifier)) return { externalId: a.identifier, url: stored };
  const path = url ? `${url.pathname}${url.search}` : null;
  if (fits(path)) return { externalId: path, url: stored };
  // Isso keys threads by the page's path already; other sources' keys are used as they are.
  const key = a.sourceKey.length <= MAX_ID ? a.sourceKey : a.sourceKey.slice(0, MAX_ID);
  return { externalId: key, url: stored };
}
