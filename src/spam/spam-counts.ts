// The model's state: per token, how many spam and ham decisions contained it, plus how many
// decisions of each kind there were. Everything is a count, so training is an addition: it
// commutes (workers may apply events in any order), an undo is the same delta subtracted, and the
// database form is plain rows a repository can update with `count = count + delta`.

export type SpamLabel = 'spam' | 'ham';

export interface TokenRow {
  token: string;
  spam: number;
  ham: number;
}

/** A site's (or the base) model as rows; also the shape of a training delta (counts signed). */
export interface SpamSnapshot {
  spamDecisions: number;
  hamDecisions: number;
  tokens: TokenRow[];
}

/** What training (+1) or untraining (-1) one decision changes; each distinct token counts once. */
export function trainingDelta(labels: readonly string[], label: SpamLabel, direction: 1 | -1): SpamSnapshot {
  const spam = label === 'spam' ? direction : 0;
  const ham = label === 'ham' ? direction : 0;
  const tokens = [...new Set(labels)].sort().map((token) => ({ token, spam, ham }));
  return { spamDecisions: spam, hamDecisions: ham, tokens };
}

/**
 * A bound for one site's model. With word pairs a site gathers about 100 new tokens per decision,
 * most seen once; pruning back to 50,000 every 100 decisions costs 2-3 points of spam held on the
 * benchmark (`npm run bench:spam`) and keeps a site's rows, and a process's compiled scorer, to a
 * few megabytes.
 */
export const DEFAULT_MAX_TOKENS = 50_000;

const isCount = (n: unknown) => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;

/** The tokens to drop so at most `maxTokens` remain: the rarest first, then the least telling. */
export function pruneVictims(snapshot: SpamSnapshot, maxTokens: number): string[] {
  const excess = snapshot.tokens.length - maxTokens;
  if (excess <= 0) return [];
  const { spamDecisions: S, hamDecisions: H } = snapshot;
  const lean = (r: TokenRow) => {
    const sr = S > 0 ? r.spam / S : 0;
    const hr = H > 0 ? r.ham / H : 0;
    return sr + hr === 0 ? 0 : Math.abs(sr / (sr + hr) - 0.5);
  };
  return snapshot.tokens
    .map((r) => ({ token: r.token, total: r.spam + r.ham, lean: lean(r) }))
    .sort((a, b) => a.total - b.total || a.lean - b.lean || (a.token < b.token ? -1 : 1))
    .slice(0, excess)
    .map((r) => r.token);
}

export class SpamCounts {
  spamDecisions = 0;
  hamDecisions = 0;
  private readonly tokens = new Map<string, { spam: number; ham: number }>();

  get size(): number {
    return this.tokens.size;
  }

  get(token: string): { spam: number; ham: number } | undefined {
    const row = this.tokens.get(token);
    return row && { ...row };
  }

  train(labels: readonly string[], label: SpamLabel): void {
    this.apply(trainingDelta(labels, label, 1));
  }

  untrain(labels: readonly string[], label: SpamLabel): void {
    this.apply(trainingDelta(labels, label, -1));
  }

  /**
   * Adds a delta. Counts never go below zero: a token pruned since its decision was trained has
   * nothing left to take away, and an untrained decision leaves no empty row behind.
   */
  apply(delta: SpamSnapshot): void {
    this.spamDecisions = Math.max(0, this.spamDecisions + delta.spamDecisions);
    this.hamDecisions = Math.max(0, this.hamDecisions + delta.hamDecisions);
    for (const { token, spam, ham } of delta.tokens) {
      const row = this.tokens.get(token) ?? { spam: 0, ham: 0 };
      row.spam = Math.max(0, row.spam + spam);
      row.ham = Math.max(0, row.ham + ham);
      if (row.spam === 0 && row.ham === 0) this.tokens.delete(token);
      else this.tokens.set(token, row);
    }
  }

  /** Drops the rarest tokens until at most `maxTokens` remain; answers how many went. */
  prune(maxTokens: number): number {
    const victims = pruneVictims(this.toSnapshot(), maxTokens);
    for (const token of victims) this.tokens.delete(token);
    return victims.length;
  }

  /** Rows sorted by token, so equal models give equal snapshots. */
  toSnapshot(): SpamSnapshot {
    const tokens = [...this.tokens]
      .map(([token, { spam, ham }]) => ({ token, spam, ham }))
      .sort((a, b) => (a.token < b.token ? -1 : a.token > b.token ? 1 : 0));
    return { spamDecisions: this.spamDecisions, hamDecisions: this.hamDecisions, tokens };
  }

  static fromSnapshot(snapshot: SpamSnapshot): SpamCounts {
    if (!isCount(snapshot.spamDecisions) || !isCount(snapshot.hamDecisions))
      throw new RangeError('decision counts must be non-negative integers');
    const counts = new SpamCounts();
    counts.spamDecisions = snapshot.spamDecisions;
    counts.hamDecisions = snapshot.hamDecisions;
    for (const { token, spam, ham } of snapshot.tokens) {
      if (!isCount(spam) || !isCount(ham)) throw new RangeError(`counts of "${token}" must be non-negative integers`);
      if (spam + ham > 0) counts.tokens.set(token, { spam, ham });
    }
    return counts;
  }
}
