// Each process's snapshot of the learned spam models, for the request path: a compiled scorer per
// site (src/spam/spam-scorer.ts), rebuilt only when the site's stored version changed. Whether any
// changed is one small query (every site's version) at most every `refreshMs`, shared by all
// requests, so scoring a comment costs no query of its own. The shared base model (every site's
// counts added up, minus the site's own, so they are not counted twice) is reloaded at most every
// `baseRefreshMs`: it is a prior, and a minute late is fine. Training in this process calls
// `changed`, so its own API sees the change at once.
import type { Db } from '../db/database.ts';
import type { LearnedModel } from '../filters/filter.ts';
import type { SpamSnapshot } from '../spam/spam-counts.ts';
import { SpamScorer } from '../spam/spam-scorer.ts';
import * as repo from './spam.repository.ts';
import { spamFeatureOptions } from './spam-features.ts';

const BASE_TOKENS = 100_000;
const MAX_CACHED_SITES = 200;

interface Entry {
  version: string;
  baseGeneration: number;
  model: LearnedModel | null;
}

type Pooled = Awaited<ReturnType<typeof repo.loadPooledModel>>;

/** The base for one site: the pooled counts without the site's own. */
function baseFor(pooled: Pooled, site: SpamSnapshot, siteId: string): SpamSnapshot {
  const own = new Map(site.tokens.map((t) => [t.token, t]));
  const [spamOwn, hamOwn] = pooled.bySite.get(siteId) ?? [0, 0];
  return {
    spamDecisions: pooled.spamDecisions - spamOwn,
    hamDecisions: pooled.hamDecisions - hamOwn,
    tokens: pooled.tokens
      .map((t) => {
        const o = own.get(t.token);
        return o ? { token: t.token, spam: Math.max(0, t.spam - o.spam), ham: Math.max(0, t.ham - o.ham) } : t;
      })
      .filter((t) => t.spam + t.ham > 0),
  };
}

export function createSpamModels(deps: { db: Db; secret: string; refreshMs?: number; baseRefreshMs?: number }) {
  const refreshMs = deps.refreshMs ?? 2_000;
  const baseRefreshMs = deps.baseRefreshMs ?? 60_000;
  const features = spamFeatureOptions(deps.secret);
  const entries = new Map<string, Entry>();
  let versions = new Map<string, string>();
  let checkedAt = Number.NEGATIVE_INFINITY;
  let checking: Promise<void> | null = null;
  let pooled: Pooled | null = null;
  let pooledAt = Number.NEGATIVE_INFINITY;
  let pooledVersions = '';
  let baseGeneration = 0;

  async function check(): Promise<void> {
    versions = await repo.listModelVersions(deps.db);
    checkedAt = Date.now();
    const signature = [...versions].sort().join(',');
    if (signature !== pooledVersions && Date.now() - pooledAt >= baseRefreshMs) {
      pooled = versions.size > 0 ? await repo.loadPooledModel(deps.db, BASE_TOKENS) : null;
      pooledAt = Date.now();
      pooledVersions = signature;
      baseGeneration++;
    }
  }

  async function build(siteId: string): Promise<LearnedModel | null> {
    const site = versions.has(siteId) ? await repo.loadModel(deps.db, siteId) : null;
    const own: SpamSnapshot = site ?? { spamDecisions: 0, hamDecisions: 0, tokens: [] };
    const base = pooled ? baseFor(pooled, own, siteId) : null;
    const siteDecisions = own.spamDecisions + own.hamDecisions;
    const baseDecisions = base ? base.spamDecisions + base.hamDecisions : 0;
    if (siteDecisions + baseDecisions === 0) return null;
    return { scorer: new SpamScorer({ site: own, base }, features), siteDecisions, baseDecisions };
  }

  return {
    /** The site's model as of at most `refreshMs` ago; null when nothing has been learned anywhere. */
    async modelFor(siteId: string): Promise<LearnedModel | null> {
      if (Date.now() - checkedAt >= refreshMs) {
        checking ??= check().finally(() => {
          checking = null;
        });
        await checking;
      }
      const version = versions.get(siteId) ?? '0';
      const hit = entries.get(siteId);
      if (hit && hit.version === version && hit.baseGeneration === baseGeneration) return hit.model;
      const model = await build(siteId);
      if (entries.size >= MAX_CACHED_SITES) entries.delete(entries.keys().next().value!);
      entries.set(siteId, { version, baseGeneration, model });
      return model;
    },

    /** A site's model changed in this process: check (and reload the base) on the next comment. */
    changed(): void {
      checkedAt = Number.NEGATIVE_INFINITY;
      pooledAt = Number.NEGATIVE_INFINITY;
    },
  };
}

export type SpamModels = ReturnType<typeof createSpamModels>;
