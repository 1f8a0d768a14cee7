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
import { TokenTable } from './token-table.ts';

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
}

export interface ScorerSource {
  site: SpamSnapshot;
  base?: SpamSnapshot | null;
}

const BUCKETS = 256;
const round = (n: number) => Math.round(n * 1e4) / 1e4;

export class SpamScorer {
  private readonly table: TokenTable;
  private readonly lnF: Float64Array;
  private readonly ln1mF: Float64Array;
  private readonly prob: Float64Array;
  private readonly reasons: TokenReason[];
  private readonly mark: Uint32Array;
  private generation = 0;
  private candidates = new Int32Array(256);
  /** Each entry's strength as a bucket 0-255 (255: strongest), and a count per bucket. */
  private readonly bucket: Uint8Array;
  private readonly bucketCounts = new Int32Array(BUCKETS);
  private readonly buffer = new TokenBuffer();
  private readonly extractor: FeatureExtractor;
  private readonly options: ModelOptions;

  constructor(source: ScorerSource, features: FeatureOptions, options: Partial<ModelOptions> = {}) {
    this.options = { ...DEFAULT_MODEL_OPTIONS, ...options };
    this.extractor = new FeatureExtractor(features);
    const entries = this.probabilities(source);
    this.table = new TokenTable(entries.length);
    this.lnF = new Float64Array(entries.length);
    this.ln1mF = new Float64Array(entries.length);
    this.prob = new Float64Array(entries.length);
    this.bucket = new Uint8Array(entries.length);
    this.mark = new Uint32Array(entries.length);
    this.reasons = [];
    entries.forEach(([token, f], i) => {
      const [h1, h2] = labelKey(token);
      this.table.insert(h1, h2, i);
      this.prob[i] = f;
      this.lnF[i] = Math.log(f);
      this.ln1mF[i] = Math.log(1 - f);
      this.bucket[i] = Math.min(BUCKETS - 1, Math.floor((Math.abs(f - 0.5) / 0.5) * BUCKETS));
      const { kind, text } = describeToken(token, f > 0.5);
      this.reasons.push(
        Object.freeze({ token, text, kind, probability: round(f), weight: round(Math.log(f / (1 - f))) }),
      );
    });
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
    for (let i = 0; i < used; i++) {
      const e = this.candidates[i]!;
      sumLnF += this.lnF[e]!;
      sumLn1mF += this.ln1mF[e]!;
    }
    return {
      score:
        this.options.combining === 'chi-square'
          ? combineChiSquare(sumLnF, sumLn1mF, used)
          : combineLogOdds(sumLnF, sumLn1mF, used, this.options.scoreShift),
      spam: this.top(used, true),
      ham: this.top(used, false),
      evidence: used,
    };
  }

  /** The distinct known tokens of a comment into `candidates`; answers how many. */
  private gather(tokens: TokenBuffer): number {
    this.generation = (this.generation + 1) >>> 0;
    if (this.generation === 0) {
      this.mark.fill(0);
      this.generation = 1;
    }
    let n = 0;
    for (let i = 0; i < tokens.count; i++) {
      const e = this.table.find(tokens.h1[i]!, tokens.h2[i]!);
      if (e < 0 || this.mark[e] === this.generation) continue;
      this.mark[e] = this.generation;
      if (n === this.candidates.length) {
        const grown = new Int32Array(n * 2);
        grown.set(this.candidates);
        this.candidates = grown;
      }
      this.candidates[n++] = e;
    }
    return n;
  }

  /**
   * Keeps the maxDiscriminators strongest candidates at the front, in comment order. Strengths are
   * bucketed (1/256 of the range each) and counted, so this is linear: no sort per comment. Within
   * the cut-off bucket, the earlier tokens are kept.
   */
  private strongest(n: number): number {
    const counts = this.bucketCounts.fill(0);
    for (let i = 0; i < n; i++) counts[this.bucket[this.candidates[i]!]!]!++;
    let room = this.options.maxDiscriminators;
    let cutoff = BUCKETS;
    while (cutoff > 0 && room >= counts[cutoff - 1]!) room -= counts[--cutoff]!;
    // Buckets >= cutoff are kept whole; `room` tokens of bucket cutoff - 1 join them.
    let kept = 0;
    for (let i = 0; i < n; i++) {
      const e = this.candidates[i]!;
      const b = this.bucket[e]!;
      if (b >= cutoff || (b === cutoff - 1 && room-- > 0)) this.candidates[kept++] = e;
    }
    return kept;
  }

  /** The `explain` strongest tokens one way. */
  private top(n: number, spammy: boolean): TokenReason[] {
    const k = this.options.explain;
    const picked: number[] = [];
    for (let i = 0; i < n; i++) {
      const e = this.candidates[i]!;
      const f = this.prob[e]!;
      if (spammy ? f <= 0.5 : f >= 0.5) continue;
      let at = picked.length;
      while (at > 0 && (spammy ? f > this.prob[picked[at - 1]!]! : f < this.prob[picked[at - 1]!]!)) at--;
      if (at < k) {
        picked.splice(at, 0, e);
        if (picked.length > k) picked.pop();
      }
    }
    return picked.map((e) => this.reasons[e]!);
  }

  private observations(spam: number, ham: number, model: SpamSnapshot): number {
    if (!this.options.balance) return spam + ham;
    const S = model.spamDecisions;
    const H = model.hamDecisions;
    const m = Math.max(Math.min(S, H), this.options.balanceFloor);
    if (m >= S && m >= H) return spam + ham;
    return (S > m ? (spam * m) / S : spam) + (H > m ? (ham * m) / H : ham);
  }

  /** f(w) of every token that can count, in label order. */
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
    return [...out]
      .filter(([, f]) => Math.abs(f - 0.5) >= o.minStrength)
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  }
}
