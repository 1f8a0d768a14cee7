// Export: a site's articles and comments, streamed page by page from the database into our JSON
// lines format (everything needed to restore here) or WordPress WXR (to move elsewhere). Memory stays
// bounded by one page, whatever the size of the site; the destination pulls the next page.
import { listArticlesForExport } from '../articles/article.repository.ts';
import { listCommentsForExport } from '../comments/comment.repository.ts';
import type { Db } from '../db/database.ts';
import type { ExportedComment, ExportRecord } from '../imports/jsonl.format.ts';
import { writeJsonl } from '../imports/jsonl.writer.ts';
import { writeWxr } from '../imports/wxr.writer.ts';
import { NotFoundError } from '../shared/errors.ts';
import type { SiteService } from '../sites/site.service.ts';

export const EXPORT_FORMATS = ['jsonl', 'wxr'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

const ARTICLE_PAGE = 100;
const COMMENT_PAGE = 1000;

export function createExportService(deps: { db: Db; sites: SiteService }) {
  const { db } = deps;

  async function* records(siteId: string, externalId: string | undefined): AsyncGenerator<ExportRecord> {
    let afterId = 0;
    for (;;) {
      const articles = await listArticlesForExport(db, siteId, {
        afterId,
        limit: ARTICLE_PAGE,
        ...(externalId !== undefined ? { externalId } : {}),
      });
      for (const a of articles) {
        yield {
          type: 'article',
          id: a.external_id,
          url: a.url,
          title: a.title,
          createdAt: a.created_at,
          closedAt: a.closed_at,
        };
        let after: { createdAt: Date; id: string } | null = null;
        for (;;) {
          const rows = await listCommentsForExport(db, a.id, after, COMMENT_PAGE);
          for (const c of rows) {
            const comment: ExportedComment = {
              type: 'comment',
              id: c.id,
              articleId: a.external_id,
              parentId: c.parent_id,
              status: c.status,
              kind: 'comment',
              name: c.name,
              email: c.email || null,
              url: null,
              ip: c.ip,
              userAgent: c.user_agent,
              authorKey: null,
              body: c.body,
              createdAt: c.created_at,
            };
            yield comment;
          }
          if (rows.length < COMMENT_PAGE) break;
          const last = rows.at(-1)!;
          after = { createdAt: last.created_at, id: last.id };
        }
      }
      if (articles.length < ARTICLE_PAGE) return;
      afterId = articles.at(-1)!.id;
    }
  }

  return {
    /** The export as chunks of text; the caller pipes them to a file or an HTTP response. */
    async open(siteId: string, options: { format?: ExportFormat; articleId?: string } = {}) {
      const site = await deps.sites.get(siteId);
      if (options.articleId !== undefined) {
        const page = await listArticlesForExport(db, siteId, { afterId: 0, limit: 1, externalId: options.articleId });
        if (page.length === 0) throw new NotFoundError(`Article ${options.articleId} not found on site ${siteId}.`);
      }
      const source = records(siteId, options.articleId);
      const format = options.format ?? 'jsonl';
      const chunks =
        format === 'wxr'
          ? writeWxr({ title: site.name, url: site.settings.origins[0] ?? null }, source)
          : writeJsonl({ id: site.id, name: site.name }, source);
      const ext = format === 'wxr' ? 'xml' : 'jsonl';
      return {
        chunks,
        filename: `${site.id}-comments.${ext}`,
        contentType: format === 'wxr' ? 'application/xml' : 'application/x-ndjson',
      };
    },
  };
}

export type ExportService = ReturnType<typeof createExportService>;
