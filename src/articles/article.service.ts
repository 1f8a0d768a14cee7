// Articles as admins manage them. `update` sets the URL moderators click and webhooks carry, and the
// title, when the first comments got them wrong; after an edit, comments never change them again
// (article-url.ts). Audited in the change's own transaction.
import type { AuditService } from '../audit/audit.service.ts';
import { bindable, type Db, type DbOrTx, inTransaction, type Tx } from '../db/database.ts';
import type { ArticleRow } from '../db/schema.ts';
import type { Actor } from '../domain/actor.ts';
import type { ChangeNotifier } from '../events/change-notifier.ts';
import { NotFoundError, ValidationError } from '../shared/errors.ts';
import { codePointLength, textProblem } from '../shared/text.ts';
import type { SiteService, SiteVerbs } from '../sites/site.service.ts';
import { editArticle, findArticle } from './article.repository.ts';
import { isArticleClosed } from './article-state.ts';
import { acceptedArticleUrl } from './article-url.ts';

interface Article {
  /** The publisher's id for the article. */
  id: string;
  siteId: string;
  url: string | null;
  title: string | null;
  commentCount: number;
  closed: boolean;
  /** When an admin last edited it (null: URL and title came from comments). */
  editedAt: Date | null;
  createdAt: Date;
}

interface ArticlePatch {
  url?: string | null | undefined;
  title?: string | null | undefined;
}

const TITLE_MAX = 300;

function toArticle(r: ArticleRow, site: { settings: { closeAfterDays: number | null } }): Article {
  return {
    id: r.external_id,
    siteId: r.site_id,
    url: r.url,
    title: r.title,
    commentCount: r.published_count,
    closed: isArticleClosed(r, site, new Date()),
    editedAt: r.edited_at,
    createdAt: r.created_at,
  };
}

/** The patch as stored (URL on an allowed origin, title clean and trimmed), or every field's problem. */
function validPatch(patch: ArticlePatch, origins: string[]): { url?: string | null; title?: string | null } {
  const errors: { path: string; message: string }[] = [];
  const out: { url?: string | null; title?: string | null } = {};
  if (patch.url !== undefined) {
    const url = patch.url === null ? null : acceptedArticleUrl(patch.url.trim(), origins);
    if (patch.url !== null && url === null)
      errors.push({
        path: 'url',
        message: `must be an http(s) URL on one of the site's allowed origins (${origins.join(', ') || 'none yet'})`,
      });
    else out.url = url;
  }
  if (patch.title !== undefined) {
    const title = patch.title === null ? null : patch.title.trim();
    const problem = title === null ? null : textProblem(title, false);
    if (problem) errors.push({ path: 'title', message: problem });
    else if (title !== null && (title === '' || codePointLength(title) > TITLE_MAX))
      errors.push({ path: 'title', message: `must be 1-${TITLE_MAX} characters, or null for none` });
    else out.title = title;
  }
  if (patch.url === undefined && patch.title === undefined)
    errors.push({ path: 'url', message: 'give a url or a title to change' });
  if (errors.length) throw new ValidationError(errors, 'The article change is invalid.');
  return out;
}

function articleVerbs(db: DbOrTx, deps: { sites: SiteVerbs; audit: AuditService; notifier: ChangeNotifier }) {
  return {
    async update(actor: Actor, siteId: string, externalId: string, patch: ArticlePatch): Promise<Article> {
      const site = await deps.sites.get(siteId);
      const changes = validPatch(patch, site.settings.origins);
      const row = await inTransaction(db, async (tx) => {
        const found = await findArticle(tx, siteId, externalId);
        if (!found) throw new NotFoundError(`No article with id "${externalId.slice(0, 200)}" on site "${siteId}".`);
        const edited = await editArticle(tx, found.id, changes);
        await deps.audit.withTx(tx).record(actor, {
          action: 'article.update',
          siteId,
          target: { type: 'article', id: externalId },
          details: { ...changes, before: { url: found.url, title: found.title } },
        });
        return edited;
      });
      // The cached thread shows the title and URL. Bound to a caller's transaction, the caller
      // notifies after its commit.
      if (!db.isTransaction) await deps.notifier.committed({ siteId, articleId: externalId, threadChanged: true });
      return toArticle(row, site);
    },
  };
}

export function createArticleService(deps: {
  db: Db;
  sites: SiteService;
  audit: AuditService;
  notifier: ChangeNotifier;
}) {
  return bindable(deps.db, (db) =>
    articleVerbs(db, { ...deps, sites: db.isTransaction ? deps.sites.withTx(db as Tx) : deps.sites }),
  );
}

export type ArticleService = ReturnType<typeof createArticleService>;
