// Writes our JSON lines export (format in jsonl.format.ts) as a stream of lines: the caller pipes
// them to a file or an HTTP response (stream-out.ts), which pulls the next record only when the
// destination has room.
import { EXPORT_FORMAT, EXPORT_VERSION, type ExportRecord, type ExportSite } from './jsonl.format.ts';

/** One line per record, each ending in \n: a header first, an end line with the counts last. */
export async function* writeJsonl(
  site: ExportSite,
  records: AsyncIterable<ExportRecord>,
  exportedAt: Date = new Date(),
): AsyncGenerator<string> {
  yield `${JSON.stringify({ format: EXPORT_FORMAT, version: EXPORT_VERSION, site: { id: site.id, name: site.name }, exportedAt })}\n`;
  let articles = 0;
  let comments = 0;
  for await (const r of records) {
    if (r.type === 'article') {
      articles++;
      const { id, url, title, createdAt, closedAt } = r;
      yield `${JSON.stringify({ type: 'article', id, url, title, createdAt, closedAt })}\n`;
    } else {
      comments++;
      const line = {
        type: 'comment',
        id: r.id,
        articleId: r.articleId,
        parentId: r.parentId,
        status: r.status,
        kind: r.kind ?? 'comment',
        name: r.name,
        email: r.email,
        url: r.url,
        ip: r.ip,
        userAgent: r.userAgent,
        authorKey: r.authorKey,
        body: r.body,
        createdAt: r.createdAt,
      };
      yield `${JSON.stringify(line)}\n`;
    }
  }
  yield `${JSON.stringify({ type: 'end', articles, comments })}\n`;
}
