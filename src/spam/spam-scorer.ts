// A compiled, read-only model for the request path: each token's f(w), ln f and ln(1 - f) are
// computed once when the scorer is built from a site's snapshot (and the base's), so scoring a
// comment is a tokenizer pass, one table lookup per token and a few additions. Tokens too weak to
// ever count (|f - 0.5| < minStrength) are left out of the table. A process builds a new scorer when
// the stored model changes and swaps it in; a scorer itself never changes. Scoring reuses the
// scorer's buffers, so calls must not interleave (they are synchronous: one event loop, no issue).
import { FeatureExtractor, type FeatureOptions, type SpamInput } from './features.ts';
import type { SpamSnapshot } from './spam-counts.ts';
import {
  combineChiSquare,
  combineLogOdds,
  DEFAULT_MODEL_OPTIONS,
  type ModelOptions,
  shrink,
  spamShare,
} from './spam-model.ts';
import { labelKey, TokenBuffer } from './token-keys.ts';
import { describeToken, type TokenKind } from './token-labels.ts';
import { RECORD_F64, TokenTable } from './token-table.ts';

export interface TokenReason {
  /** The stored label ("viagra", "d:example.com", "n:3fa9…"). */
  token: string;
  /** What moderators read ("viagra", "link to example.com", "name (seen in spam)"). */
  text: string;
  kind: TokenKind;
  /** f(w): how spam-like the token is, 0-1. */
  probability: number;
  /** ln(f / (1 - f)): positive towards spam, negative towards ham. */
  weight: number;
}

export interface SpamScore {
  /** 0 (ham) to 1 (spam); about 0.5 when the evidence is absent or conflicting. */
  score: number;
  /** The strongest tokens towards spam, strongest first. */
  spam: readonly TokenReason[];
  /** The strongest tokens towards ham, strongest first. */
  ham: readonly TokenReason[];
  /** Tokens that counted as evidence. */
  evidence: number;
  /** Distinct tokens of the comment the model has never seen, each leaning to spam by `unseenProbability` (0 when that is 0.5: off). */
  unseen: number;
}

export interface ScorerSource {
  site: SpamSnapshot;
  base?: SpamSnapshot | null;
}

const BUCKETS = 256;
const round = (n: number) => Math.round(n * 1e4) / 1e4;

export class SpamScorer {
  private readonly table: TokenTable;
  /** The table's records: per entry ln f, ln(1 - f) and f, RECORD_F64 apart. */
  private readonly values: Float64Array;
  private readonly reasons: TokenReason[];
  private generation = 0;
  /** The comment's distinct entries: entry + 1 and a generation stamp per slot. */
  private seen = new Uint32Array(2 * 512);
  private unseenCount = 0;
  private candidates = new Int32Array(256);
  /** The entry of each token of the comment (or -1), from the table. */
  private found = new Int32Array(256);
  /** A count of candidates per strength bucket (0-255, 255: strongest). */
  private readonly bucketCounts = new Int32Array(BUCKETS);
  /** The entries picked for an explanation, best first. */
  private readonly picked: Int32Array;
  private readonly buffer = new TokenBuffer();
  private readonly extractor: FeatureExtractor;
  private readonly options: ModelOptions;
  /** Entries below this number are evidence; the others are known but too weak to count. */
  private readonly strongCount: number;
  /** Tokens the model knows at all (strong and weak). */
  private readonly known: number;
  private readonly countUnseen: boolean;
  private readonly unseenLnF: number;
  private readonly unseenLn1mF: number;
  /** A set of the comment's unseen keys (two halves and a generation stamp per slot), reused. */
  private unseenSlots = new Uint32Array(3 * 1024);
  private unseenGeneration = 0;

  constructor(source: ScorerSource, features: FeatureOptions, options: Partial<ModelOptions> = {}) {
    this.options = { ...DEFAULT_MODEL_OPTIONS, ...options };
    // The extractor remembers each distinct name's and address's tokens (their keyed hashes included).
    this.extractor = new FeatureExtractor(features);
    const all = this.probabilities(source);
    // The tokens that can count as evidence get entries 0..n-1; the weak ones stay in the table only
    // so the scorer knows the model has seen them (an unseen token is evidence of its own).
    const entries = all.filter(([, f]) => Math.abs(f - 0.5) >= this.options.minStrength);
    this.strongCount = entries.length;
    this.known = all.length;
    this.table = new TokenTable(all.length);
    this.values = this.table.values;
    this.picked = new Int32Array(Math.max(this.options.explain, 0));
    this.reasons = [];
    entries.forEach(([token, f], i) => {
      const [h1, h2] = labelKey(token);
      this.table.insert(h1, h2, i);
      const at = i * RECORD_F64;
      this.values[at] = Math.log(f);
      this.values[at + 1] = Math.log(1 - f);
      this.values[at + 2] = f;
      const { kind, text } = describeToken(token, f > 0.5);
      this.reasons.push(
        Object.freeze({ token, text, kind, probability: round(f), weight: round(Math.log(f / (1 - f))) }),
      );
    });
    let weak = entries.length;
    for (const [token, f] of all) {
      if (Math.abs(f - 0.5) >= this.options.minStrength) continue;
      const [h1, h2] = labelKey(token);
      this.table.insert(h1, h2, weak++);
    }
    const u = this.options.unseenProbability;
    // A model that knows nothing has no view on what it has not seen either.
    this.countUnseen = this.known > 0 && u !== 0.5;
    this.unseenLnF = Math.log(u);
    this.unseenLn1mF = Math.log(1 - u);
  }

  /** Tokens that can count as evidence. */
  get size(): number {
    return this.reasons.length;
  }

  score(input: SpamInput): SpamScore {
    this.extractor.extract(input, this.buffer);
    return this.scoreTokens(this.buffer);
  }

  /** Scores tokens already extracted (with this scorer's feature options). */
  scoreTokens(tokens: TokenBuffer): SpamScore {
    const n = this.gather(tokens);
    const used = n > this.options.maxDiscriminators ? this.strongest(n) : n;
    let sumLnF = 0;
    let sumLn1mF = 0;
    const v = this.values;
    for (let i = 0; i < used; i++) {
      const at = this.candidates[i]! * RECORD_F64;
      sumLnF += v[at]!;
      sumLn1mF += v[at + 1]!;
    }
    const unseen = this.unseenCount;
    sumLnF += unseen * this.unseenLnF;
    sumLn1mF += unseen * this.unseenLn1mF;
    const count = used + unseen;
    return {
      score:
        this.options.combining === 'chi-square'
          ? combineChiSquare(sumLnF, sumLn1mF, count)
          : combineLogOdds(sumLnF, sumLn1mF, count, this.options.scoreShift),
      spam: this.top(used, true),
      ham: this.top(used, false),
      evidence: used,
      unseen: this.unseenCount,
    };
  }

  /** The distinct known tokens of a comment into `candidates`; answers how many. */
  private gather(tokens: TokenBuffer): number {
    // The comment's entries seen so far: a small set (entry + 1 per slot, stamped with the
    // generation), so the megabytes of the model's records are only read, never written.
    if (this.seen.length < tokens.count * 4) {
      let size = this.seen.length;
      while (size < tokens.count * 4) size *= 2;
      this.seen = new Uint32Array(size);
      this.generation = 0;
    }
    this.generation = (this.generation + 1) >>> 0;
    if (this.generation === 0) {
      this.seen.fill(0);
      this.generation = 1;
    }
    const seen = this.seen;
    const mask = seen.length / 2 - 1;
    const g = this.generation;
    let n = 0;
    this.unseenCount = 0;
    if (this.found.length < tokens.count) this.found = new Int32Array(tokens.h1.length);
    const found = this.found;
    this.table.findAll(tokens.h1, tokens.h2, tokens.count, found);
    for (let i = 0; i < tokens.count; i++) {
      const e = found[i]!;
      if (e < 0) {
        if (this.countUnseen) this.noteUnseen(tokens.h1[i]!, tokens.h2[i]!, tokens.count);
        continue;
      }
      if (e >= this.strongCount) continue;
      let at = (Math.imul(e + 1, 0x9e3779b1) >>> 16) & mask;
      while (seen[2 * at + 1] === g && seen[2 * at] !== e + 1) at = (at + 1) & mask;
      if (seen[2 * at + 1] === g) continue;
      seen[2 * at] = e + 1;
      seen[2 * at + 1] = g;
      if (n === this.candidates.length) {
        const grown = new Int32Array(n * 2);
        grown.set(this.candidates);
        this.candidates = grown;
      }
      this.candidates[n++] = e;
    }
    return n;
  }

  /** Counts a distinct unseen key of the comment (`count`: the comment's tokens, to size the set). */
  private noteUnseen(h1: number, h2: number, count: number): void {
    if (this.unseenCount === 0) {
      let slots = this.unseenSlots.length / 3;
      if (slots < count * 2) {
        while (slots < count * 2) slots *= 2;
        this.unseenSlots = new Uint32Array(slots * 3);
        this.unseenGeneration = 0;
      }
      this.unseenGeneration = (this.unseenGeneration + 1) >>> 0;
      if (this.unseenGeneration === 0) {
        this.unseenSlots.fill(0);
        this.unseenGeneration = 1;
      }
    }
    const s = this.unseenSlots;
    const mask = s.length / 3 - 1;
    const g = this.unseenGeneration;
    for (let i = h1 & mask; ; i = (i + 1) & mask) {
      const at = i * 3;
      if (s[at + 2] !== g) {
        s[at] = h1;
        s[at + 1] = h2;
        s[at + 2] = g;
        this.unseenCount++;
        return;
      }
      if (s[at] === h1 && s[at + 1] === h2) return;
    }
  }

  /**
   * Keeps the maxDiscriminators strongest candidates at the front, in comment order. Strengths are
   * bucketed (1/256 of the range each) and counted, so this is linear: no sort per comment. Within
   * the cut-off bucket, the earlier tokens are kept.
   */
  private strongest(n: number): number {
    const counts = this.bucketCounts.fill(0);
    for (let i = 0; i < n; i++) counts[this.bucketOf(this.candidates[i]!)]!++;
    let room = this.options.maxDiscriminators;
    let cutoff = BUCKETS;
    while (cutoff > 0 && room >= counts[cutoff - 1]!) room -= counts[--cutoff]!;
    // Buckets >= cutoff are kept whole; `room` tokens of bucket cutoff - 1 join them.
    let kept = 0;
    for (let i = 0; i < n; i++) {
      const e = this.candidates[i]!;
      const b = this.bucketOf(e);
      if (b >= cutoff || (b === cutoff - 1 && room-- > 0)) this.candidates[kept++] = e;
    }
    return kept;
  }

  /** An entry's strength as a bucket 0-255 (1/256 of the range each; 255: strongest). */
  private bucketOf(e: number): number {
    const f = this.values[e * RECORD_F64 + 2]!;
    return Math.min(BUCKETS - 1, Math.floor((Math.abs(f - 0.5) / 0.5) * BUCKETS));
  }

  /** The `explain` strongest tokens one way (ties: the earlier token first). */
  private top(n: number, spammy: boolean): TokenReason[] {
    const k = this.picked.length;
    const picked = this.picked;
    const v = this.values;
    let m = 0;
    for (let i = 0; i < n; i++) {
      const e = this.candidates[i]!;
      const f = v[e * RECORD_F64 + 2]!;
      if (spammy ? f <= 0.5 : f >= 0.5) continue;
      let at = m;
      while (at > 0 && (spammy ? f > v[picked[at - 1]! * RECORD_F64 + 2]! : f < v[picked[at - 1]! * RECORD_F64 + 2]!))
        at--;
      if (at >= k) continue;
      if (m < k) m++;
      for (let j = m - 1; j > at; j--) picked[j] = picked[j - 1]!;
      picked[at] = e;
    }
    const out: TokenReason[] = [];
    for (let j = 0; j < m; j++) out.push(this.reasons[picked[j]!]!);
    return out;
  }

  private observations(spam: number, ham: number, model: SpamSnapshot): number {
    if (!this.options.balance) return spam + ham;
    const S = model.spamDecisions;
    const H = model.hamDecisions;
    const m = Math.max(Math.min(S, H), this.options.balanceFloor);
    if (m >= S && m >= H) return spam + ham;
    return (S > m ? (spam * m) / S : spam) + (H > m ? (ham * m) / H : ham);
  }

  /** f(w) of every token the model knows (strong or not), in label order. */
  private probabilities({ site, base }: ScorerSource): [string, number][] {
    const o = this.options;
    const baseF = new Map<string, [number, number]>();
    if (base)
      for (const r of base.tokens) {
        const share = spamShare(r.spam, base.spamDecisions, r.ham, base.hamDecisions);
        const seen = this.observations(r.spam, r.ham, base);
        const f = shrink(share, seen, o.unknownProbability, o.unknownStrength);
        baseF.set(r.token, [f, o.unknownStrength + Math.min(seen, o.baseCap)]);
      }
    const out = new Map<string, number>();
    for (const r of site.tokens) {
      const [x, a] = baseF.get(r.token) ?? [o.unknownProbability, o.unknownStrength];
      const share = spamShare(r.spam, site.spamDecisions, r.ham, site.hamDecisions);
      out.set(r.token, shrink(share, this.observations(r.spam, r.ham, site), x, a));
    }
    for (const [token, [f]] of baseF) if (!out.has(token)) out.set(token, f);
    return [...out].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  }
}
