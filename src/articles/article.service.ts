// Articles as admins and moderators manage them. `update` (admins) sets the URL moderators click and
// webhooks carry, and the title, when the first comments got them wrong; after an edit, comments never
// change them again (article-url.ts). `control` (moderators of the site, and the CLI) closes or reopens
// an article and sets its own moderation mode. Each change is audited, and a control change emits its
// webhook events (article.closed, article.opened, article.updated), in the change's own transaction.
import type { AuditService } from '../audit/audit.service.ts';
import { bindable, type Db, type DbOrTx, inTransaction, type Tx } from '../db/database.ts';
import type { ArticleRow } from '../db/schema.ts';
import type { Actor } from '../domain/actor.ts';
import type { EventType } from '../domain/event-types.ts';
import {
  ARTICLE_MODERATION_CHOICES,
  type ArticleModerationChoice,
  type ModerationMode,
} from '../domain/moderation-mode.ts';
import { actorOf, type Principal, requireSite } from '../domain/principal.ts';
import type { ChangeNotifier } from '../events/change-notifier.ts';
import { insertSiteEvent } from '../events/outbox.repository.ts';
import { NotFoundError, ValidationError } from '../shared/errors.ts';
import { uuidv7 } from '../shared/ids.ts';
import { invisibleTextProblem } from '../shared/invisible-text.ts';
import { codePointLength, textProblem } from '../shared/text.ts';
import type { SiteService, SiteVerbs } from '../sites/site.service.ts';
import { editArticle, findArticle, findArticleForUpdate, setArticleControls } from './article.repository.ts';
import { isArticleClosed } from './article-state.ts';
import { acceptedArticleUrl } from './article-url.ts';

export interface Article {
  /** The publisher's id for the article. */
  id: string;
  siteId: string;
  url: string | null;
  title: string | null;
  commentCount: number;
  closed: boolean;
  /** Closed by hand (or by the site's rule, once the maintenance job ran), null when open. */
  closedAt: Date | null;
  /** The article's own moderation mode; null: it follows the site's. */
  moderation: ModerationMode | null;
  /** The mode its new comments get: its own, else the site's. */
  effectiveModeration: ModerationMode;
  /** When an admin last edited it (null: URL and title came from comments). */
  editedAt: Date | null;
  createdAt: Date;
}

interface ArticlePatch {
  url?: string | null | undefined;
  title?: string | null | undefined;
}

const TITLE_MAX = 300;

type SiteRules = { settings: { closeAfterDays: number | null; moderation: ModerationMode } };

function toArticle(r: ArticleRow, site: SiteRules): Article {
  return {
    id: r.external_id,
    siteId: r.site_id,
    url: r.url,
    title: r.title,
    commentCount: r.published_count,
    closed: isArticleClosed(r, site, new Date()),
    closedAt: r.closed_at,
    moderation: r.moderation_mode,
    effectiveModeration: r.moderation_mode ?? site.settings.moderation,
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
    // Readers see it on the thread: no bidi controls or invisible characters either (checked before the
    // trim, which would quietly drop a leading byte order mark).
    const problem = title === null ? null : (textProblem(title, false) ?? invisibleTextProblem(patch.title as string));
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

/** A moderator's change to an article: close (true) or reopen (false), and its moderation mode. */
export interface ArticleControl {
  closed?: boolean | undefined;
  moderation?: ArticleModerationChoice | undefined;
}

/** Checked here too, for the CLI and the dashboard's forms (the API's schema checks it first). */
function validControl(change: ArticleControl): ArticleControl {
  const errors: { path: string; message: string }[] = [];
  if (change.closed !== undefined && typeof change.closed !== 'boolean')
    errors.push({ path: 'closed', message: 'must be true or false' });
  if (change.moderation !== undefined && !ARTICLE_MODERATION_CHOICES.includes(change.moderation))
    errors.push({ path: 'moderation', message: `must be one of ${ARTICLE_MODERATION_CHOICES.join(', ')}` });
  if (change.closed === undefined && change.moderation === undefined)
    errors.push({ path: 'closed', message: 'give closed or moderation to change' });
  if (errors.length) throw new ValidationError(errors, 'The article change is invalid.');
  return change;
}

const notFound = (siteId: string, externalId: string) =>
  new NotFoundError(`No article with id "${externalId.slice(0, 200)}" on site "${siteId.slice(0, 63)}".`);

/** What webhooks are told of an article change: the article as it is now and as it was. */
function articleEvent(type: EventType, after: Article, before: Article, actor: Actor, at: Date) {
  const state = (a: Article) => ({ closed: a.closed, moderation: a.moderation });
  return {
    id: uuidv7(at.getTime()),
    type,
    payload: {
      type,
      timestamp: at.toISOString(),
      data: {
        article: {
          id: after.id,
          url: after.url,
          title: after.title,
          ...state(after),
          effectiveModeration: after.effectiveModeration,
        },
        previous: state(before),
        site: { id: after.siteId },
        actor: { type: actor.type, id: actor.id },
      },
    },
  };
}

function articleVerbs(db: DbOrTx, deps: { sites: SiteVerbs; audit: AuditService; notifier: ChangeNotifier }) {
  /** A moderator may touch only their sites (the same 403 for an unknown one); the CLI every site. */
  async function siteFor(by: Principal | Actor, siteId: string) {
    if ('userId' in by) requireSite(by, siteId);
    return deps.sites.get(siteId);
  }

  return {
    /** One article as moderators see it. */
    async get(by: Principal | Actor, siteId: string, externalId: string): Promise<Article> {
      const site = await siteFor(by, siteId);
      const row = await findArticle(db, siteId, externalId);
      if (!row) throw notFound(siteId, externalId);
      return toArticle(row, site);
    },

    /**
     * Closes or reopens the article and sets its moderation mode (`site`: follow the site's again).
     * What is already so changes nothing: no write, no audit row, no event. Each real change is one
     * audit row and one event (article.closed, article.opened, article.updated for the mode).
     */
    async control(by: Principal | Actor, siteId: string, externalId: string, input: ArticleControl): Promise<Article> {
      const site = await siteFor(by, siteId);
      const change = validControl(input);
      const actor = 'userId' in by ? actorOf(by) : by;
      const { after, events } = await inTransaction(db, async (tx) => {
        const found = await findArticleForUpdate(tx, siteId, externalId);
        if (!found) throw notFound(siteId, externalId);
        const now = new Date();
        const before = toArticle(found, site);
        const patch: Parameters<typeof setArticleControls>[2] = {};
        const audits: { action: string; details: Record<string, unknown> }[] = [];
        const types: EventType[] = [];
        if (change.closed === true && !before.closed) {
          Object.assign(patch, { closed_at: now, reopened_at: null });
          audits.push({ action: 'article.close', details: {} });
          types.push('article.closed');
        } else if (change.closed === false && before.closed) {
          // Reopened by hand: the site's close-after-days rule does not close it again.
          Object.assign(patch, { closed_at: null, reopened_at: now });
          audits.push({ action: 'article.open', details: { closedAt: found.closed_at } });
          types.push('article.opened');
        }
        const mode = change.moderation === 'site' ? null : change.moderation;
        if (mode !== undefined && mode !== found.moderation_mode) {
          patch.moderation_mode = mode;
          audits.push({
            action: 'article.set-mode',
            details: { from: found.moderation_mode ?? 'site', to: mode ?? 'site' },
          });
          types.push('article.updated');
        }
        if (types.length === 0) return { after: before, events: [] };
        const row = await setArticleControls(tx, found.id, patch);
        const after = toArticle(row, site);
        const audit = deps.audit.withTx(tx);
        for (const a of audits)
          await audit.record(actor, { ...a, siteId, target: { type: 'article', id: externalId } });
        const events = types.map((t) => articleEvent(t, after, before, actor, now));
        for (const e of events) await insertSiteEvent(tx, siteId, e);
        return { after, events };
      });
      if (events.length > 0 && !db.isTransaction)
        await deps.notifier.committed({
          siteId,
          articleId: externalId,
          // The public thread says whether it is closed; the mode does not show there.
          threadChanged: events.some((e) => e.type !== 'article.updated'),
          eventIds: events.map((e) => e.id),
        });
      return after;
    },

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
