// Sites: who may embed us and how their comments are moderated.
import { z } from 'zod';
import { type Bindable, bindable, type Db, type DbOrTx } from '../db/database.ts';
import { prepareFilters } from '../filters/registry.ts';
import { ConflictError, NotFoundError, ValidationError } from '../shared/errors.ts';
import { invisibleTextProblem } from '../shared/invisible-text.ts';
import { zodToFieldErrors } from '../shared/validation.ts';
import type { SiteRow } from './site.repository.ts';
import * as repo from './site.repository.ts';
import { parseSiteSettings, type SiteSettings, siteIdSchema, siteSettingsSchema } from './site-settings.ts';

export interface Site {
  id: string;
  name: string;
  settings: SiteSettings;
  createdAt: Date;
  updatedAt: Date;
  /** Counts the site's saves; a save may name the version it was made from (updateSite's expectedVersion). */
  version: number;
}

const nameSchema = z.string().trim().min(1).max(200);

/** The name's problem, or null: readers and staff see it (mails, the dashboard), so no invisible tricks. */
function nameProblem(name: unknown): string | null {
  if (!nameSchema.safeParse(name).success) return 'must be 1-200 characters';
  return invisibleTextProblem(name as string);
}

function toSite(row: SiteRow): Site {
  return {
    id: row.id,
    name: row.name,
    settings: parseSiteSettings(row.settings),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  };
}

function validateSettings(input: unknown): SiteSettings {
  // A misspelt setting ("linkLimt") would otherwise be dropped without a word.
  const unknown = Object.keys(input ?? {}).filter((key) => !(key in siteSettingsSchema.shape));
  if (unknown.length) {
    throw new ValidationError(
      unknown.map((key) => ({ path: `settings.${key}`, message: 'is not a site setting' })),
      'The site settings are invalid.',
    );
  }
  const parsed = siteSettingsSchema.safeParse(input);
  if (!parsed.success)
    throw new ValidationError(zodToFieldErrors(parsed.error, 'settings'), 'The site settings are invalid.');
  return parsed.data;
}

/**
 * Compiles the site's filter lists ahead of its comments (cached by content: unchanged settings cost
 * a lookup). Never fails the caller: a list that cannot compile fails its filter, which holds comments.
 */
function prepare(site: Site): void {
  try {
    prepareFilters(site.settings);
  } catch {
    // The filter itself reports the failure on the comment.
  }
}

// Public requests read the site on every call; a short per-process cache keeps that off the database.
// Updates clear the local entry at once; other processes see them within CACHE_TTL_MS. Inside a
// transaction reads go to the transaction (never cached: it may roll back) and writes clear the entry.
// A write inside a transaction is not visible to others until it commits, and there is no hook for
// that moment: a read in between would cache the old settings (a newly blocked email let through for
// a while). So for CACHE_TTL_MS after such a write, reads of that site go to the database uncached.
const CACHE_TTL_MS = 2_000;

interface SiteCache {
  entries: Map<string, { site: Site | null; expires: number }>;
  /** Sites written in a transaction that may not have committed yet: until when not to cache them. */
  writing: Map<string, number>;
}

function siteVerbs(db: DbOrTx, cache: SiteCache) {
  async function find(id: string): Promise<Site | null> {
    if (!siteIdSchema.safeParse(id).success) return null;
    if (db.isTransaction) {
      const row = await repo.findSite(db, id);
      return row ? toSite(row) : null;
    }
    const hit = cache.entries.get(id);
    if (hit && hit.expires > Date.now()) return hit.site;
    const row = await repo.findSite(db, id);
    const site = row ? toSite(row) : null;
    // Settings saved by another process are compiled once here, after this request's turn.
    if (site) setImmediate(prepare, site);
    if ((cache.writing.get(id) ?? 0) > Date.now()) return site;
    cache.writing.delete(id);
    if (cache.entries.size > 10_000) cache.entries.clear();
    cache.entries.set(id, { site, expires: Date.now() + CACHE_TTL_MS });
    return site;
  }

  function forget(id: string) {
    cache.entries.delete(id);
    if (db.isTransaction) {
      if (cache.writing.size > 10_000) cache.writing.clear();
      cache.writing.set(id, Date.now() + CACHE_TTL_MS);
    }
  }

  async function get(id: string): Promise<Site> {
    const site = await find(id);
    if (!site) throw new NotFoundError(`No site with id "${id.slice(0, 100)}".`);
    return site;
  }

  async function create(input: { id: string; name: string; settings?: Partial<SiteSettings> }): Promise<Site> {
    const idCheck = siteIdSchema.safeParse(input.id);
    const errors = [
      ...(idCheck.success ? [] : [{ path: 'id', message: idCheck.error.issues[0]!.message }]),
      ...(nameProblem(input.name) === null ? [] : [{ path: 'name', message: nameProblem(input.name)! }]),
    ];
    if (errors.length) throw new ValidationError(errors);
    const settings = validateSettings(input.settings ?? {});
    const row = await repo.insertSite(db, { id: input.id, name: input.name.trim(), settings });
    if (!row) throw new ConflictError(`A site with id "${input.id}" already exists.`);
    forget(input.id);
    const site = toSite(row);
    prepare(site);
    return site;
  }

  return {
    find,
    get,
    create,

    /** The site as stored now, never from the cache: for a form that will be saved over its version. */
    async fresh(id: string): Promise<Site> {
      const row = siteIdSchema.safeParse(id).success ? await repo.findSite(db, id) : undefined;
      if (!row) throw new NotFoundError(`No site with id "${id.slice(0, 100)}".`);
      return toSite(row);
    },

    async list(): Promise<Site[]> {
      return (await repo.listSites(db)).map(toSite);
    },

    /**
     * Merges the patch over the stored settings. With `expectedVersion` (the version the editor saw),
     * a site saved by someone else since is refused with 409 and nothing is written: the caller holds
     * the site's row lock (admin.service.ts), so the check and the write see the same row.
     */
    async update(
      id: string,
      patch: { name?: string; settings?: Record<string, unknown> },
      expectedVersion?: number,
    ): Promise<Site> {
      const current = await repo.findSite(db, id);
      if (!current) throw new NotFoundError(`No site with id "${id.slice(0, 100)}".`);
      if (expectedVersion !== undefined && current.version !== expectedVersion)
        throw staleSave(current, expectedVersion);
      const problem = patch.name === undefined ? null : nameProblem(patch.name);
      if (problem) throw new ValidationError([{ path: 'name', message: problem }]);
      const settings = validateSettings({ ...parseSiteSettings(current.settings), ...(patch.settings ?? {}) });
      const row = await repo.updateSite(
        db,
        id,
        { ...(patch.name !== undefined ? { name: patch.name.trim() } : {}), settings },
        expectedVersion,
      );
      // Saved by someone else between the read and the write (a caller without the row lock).
      if (!row) throw staleSave((await repo.findSite(db, id)) ?? current, expectedVersion!);
      forget(id);
      const site = toSite(row!);
      prepare(site);
      return site;
    },

    /** Creates the site if it does not exist yet (used for the embedded demo site). */
    async ensure(input: { id: string; name: string; settings: Partial<SiteSettings> }): Promise<Site> {
      const existing = await repo.findSite(db, input.id);
      if (existing) return toSite(existing);
      try {
        return await create(input);
      } catch (err) {
        // Another process created it between our read and insert.
        if (err instanceof ConflictError) return get(input.id);
        throw err;
      }
    },
  };
}

function staleSave(current: SiteRow, expected: number): ConflictError {
  return new ConflictError(
    `The settings of ${current.id} were changed by someone else since you loaded them (version ${current.version}; your save was made from version ${expected}). Nothing was saved: load them again and reapply your change.`,
    { code: 'site_changed' },
  );
}

export type SiteVerbs = ReturnType<typeof siteVerbs>;
export type SiteService = Bindable<SiteVerbs>;

export function createSiteService(db: Db): SiteService {
  const cache: SiteCache = { entries: new Map(), writing: new Map() };
  return bindable(db, (q) => siteVerbs(q, cache));
}
