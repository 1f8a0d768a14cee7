// Writes a WordPress eXtended RSS 1.2 file, as WordPress's own exporter does, so WordPress, Disqus
// and other importers can read it. Records arrive as an article followed by its comments.
// WordPress needs numeric ids: articles and comments are numbered in output order, and a reply's
// parent is found through a map kept for the current article only (memory bounded by one thread).
// Bodies are plain text, so they are HTML-escaped (WordPress treats comment text as HTML) inside
// CDATA; author names and titles are HTML-escaped as WordPress stores them.
import type { ExportedArticle, ExportedComment, ExportRecord } from './jsonl.format.ts';
import { STATUS_META_KEY, WXR_APPROVED } from './wxr.format.ts';
import { cdata, htmlEscape, xmlText } from './xml-escape.ts';

export interface WxrChannel {
  title: string;
  url: string | null;
  description?: string;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** "YYYY-MM-DD HH:MM:SS" in UTC, WordPress's date format. */
function wpDate(date: Date): string {
  const d = date;
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

function header(channel: WxrChannel): string {
  const url = xmlText(channel.url ?? '');
  return `<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0"
\txmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
\txmlns:content="http://purl.org/rss/1.0/modules/content/"
\txmlns:wfw="http://wellformedweb.org/CommentAPI/"
\txmlns:dc="http://purl.org/dc/elements/1.1/"
\txmlns:wp="http://wordpress.org/export/1.2/"
>
<channel>
\t<title>${cdata(htmlEscape(channel.title))}</title>
\t<link>${url}</link>
\t<description>${cdata(htmlEscape(channel.description ?? ''))}</description>
\t<pubDate>${new Date().toUTCString().replace('GMT', '+0000')}</pubDate>
\t<wp:wxr_version>1.2</wp:wxr_version>
\t<wp:base_site_url>${url}</wp:base_site_url>
\t<wp:base_blog_url>${url}</wp:base_blog_url>
`;
}

function item(a: ExportedArticle, postId: number): string {
  const created = a.createdAt ?? new Date(0);
  return `\t<item>
\t\t<title>${cdata(htmlEscape(a.title ?? a.id))}</title>
\t\t<link>${xmlText(a.url ?? '')}</link>
\t\t<pubDate>${created.toUTCString().replace('GMT', '+0000')}</pubDate>
\t\t<guid isPermaLink="false">${xmlText(a.url ?? a.id)}</guid>
\t\t<description></description>
\t\t<content:encoded>${cdata('')}</content:encoded>
\t\t<wp:post_id>${postId}</wp:post_id>
\t\t<wp:post_date>${cdata(wpDate(created))}</wp:post_date>
\t\t<wp:post_date_gmt>${cdata(wpDate(created))}</wp:post_date_gmt>
\t\t<wp:comment_status>${cdata(a.closedAt ? 'closed' : 'open')}</wp:comment_status>
\t\t<wp:ping_status>${cdata('closed')}</wp:ping_status>
\t\t<wp:post_name>${cdata(a.id)}</wp:post_name>
\t\t<wp:status>${cdata('publish')}</wp:status>
\t\t<wp:post_parent>0</wp:post_parent>
\t\t<wp:menu_order>0</wp:menu_order>
\t\t<wp:post_type>${cdata('post')}</wp:post_type>
\t\t<wp:post_password>${cdata('')}</wp:post_password>
\t\t<wp:is_sticky>0</wp:is_sticky>
`;
}

function comment(c: ExportedComment, id: number, parent: number): string {
  const date = cdata(wpDate(c.createdAt));
  const agent = c.userAgent ? `\t\t\t<wp:comment_agent>${cdata(c.userAgent)}</wp:comment_agent>\n` : '';
  return `\t\t<wp:comment>
\t\t\t<wp:comment_id>${id}</wp:comment_id>
\t\t\t<wp:comment_author>${cdata(htmlEscape(c.name))}</wp:comment_author>
\t\t\t<wp:comment_author_email>${cdata(c.email ?? '')}</wp:comment_author_email>
\t\t\t<wp:comment_author_url>${xmlText(c.url ?? '')}</wp:comment_author_url>
\t\t\t<wp:comment_author_IP>${cdata(c.ip ?? '')}</wp:comment_author_IP>
\t\t\t<wp:comment_date>${date}</wp:comment_date>
\t\t\t<wp:comment_date_gmt>${date}</wp:comment_date_gmt>
\t\t\t<wp:comment_content>${cdata(htmlEscape(c.body))}</wp:comment_content>
\t\t\t<wp:comment_approved>${cdata(WXR_APPROVED[c.status])}</wp:comment_approved>
\t\t\t<wp:comment_type>${cdata(c.kind ?? 'comment')}</wp:comment_type>
\t\t\t<wp:comment_parent>${parent}</wp:comment_parent>
\t\t\t<wp:comment_user_id>0</wp:comment_user_id>
${agent}\t\t\t<wp:commentmeta>
\t\t\t\t<wp:meta_key>${cdata(STATUS_META_KEY)}</wp:meta_key>
\t\t\t\t<wp:meta_value>${cdata(c.status)}</wp:meta_value>
\t\t\t</wp:commentmeta>
\t\t</wp:comment>
`;
}

/** WXR text in pieces (one per record); comments must follow their article. */
export async function* writeWxr(channel: WxrChannel, records: AsyncIterable<ExportRecord>): AsyncGenerator<string> {
  yield header(channel);
  let article: ExportedArticle | null = null;
  let postId = 0;
  let commentId = 0;
  // Our id → WordPress number, for the current article; a reply may come before its parent.
  let numbers = new Map<string, number>();
  const numberOf = (ourId: string) => {
    const known = numbers.get(ourId);
    if (known !== undefined) return known;
    numbers.set(ourId, ++commentId);
    return commentId;
  };
  for await (const r of records) {
    if (r.type === 'article') {
      if (article) yield '\t</item>\n';
      article = r;
      numbers = new Map();
      yield item(r, ++postId);
      continue;
    }
    if (!article || r.articleId !== article.id) {
      throw new Error(`WXR export: comment ${r.id} does not follow its article ${r.articleId}`);
    }
    yield comment(r, numberOf(r.id), r.parentId ? numberOf(r.parentId) : 0);
  }
  if (article) yield '\t</item>\n';
  yield '</channel>\n</rss>\n';
}
