// How the spam model's defaults were chosen, reproducibly and without the benchmark's unseen
// messages (spam-2, easy-ham-2, the held-out hard ham): on the training stream alone, two ways.
//   "same period": learn the stream's first 50/200/400/1,000/1,400 decisions, score its last 1,200
//     (spam like the spam already marked);
//   "later": the latest quarter of the stream's spam and of its ham by the Date header are held out,
//     the model learns the rest in stream order (50/200/400/1,000/all 1,950) and scores them: spam a
//     little newer than what it learned, as spam-2 is newer than spam-1 (a random split flatters
//     the model: the same campaign lands on both sides).
// A candidate is judged at the hold threshold 0.9: spam held with ham held at most 1 % on both
// splits after 400 and after 1,000 decisions; the printed ranking column is the spam held at the
// cut that holds 1 % of validation ham (what a better threshold could reach).
import { FeatureExtractor, type FeatureOptions, type SpamInput } from '../src/spam/features.ts';
import { SpamCounts, type SpamSnapshot } from '../src/spam/spam-counts.ts';
import type { ModelOptions } from '../src/spam/spam-model.ts';
import { SpamScorer } from '../src/spam/spam-scorer.ts';
import { TokenBuffer } from '../src/spam/token-keys.ts';
import type { CorpusMessage } from './spam-corpus.ts';

export interface Candidate {
  name: string;
  features: Omit<FeatureOptions, 'hashPersonal'>;
  model: Partial<ModelOptions>;
}

export interface Split {
  name: string;
  train: readonly CorpusMessage[];
  validation: readonly CorpusMessage[];
  checkpoints: readonly number[];
}

export interface CheckpointResult {
  at: number;
  spam: number;
  ham: number;
  ranked: number;
}

const HOLD = 0.9;
/** The same-period split scores the stream's last this many decisions. */
const SAME_VALIDATION = 1200;
const LATER_SHARE = 0.25;
const pct = (x: number) => `${(x * 100).toFixed(1)}%`.padStart(6);
const asInput = (m: CorpusMessage): SpamInput => ({ name: '', email: '', body: m.body });

/** The two validation splits of the training stream (see the top of this file). */
export function validationSplits(stream: readonly CorpusMessage[]): Split[] {
  const latest = new Set<CorpusMessage>();
  for (const spam of [true, false]) {
    // Undated messages (a few) keep their corpus order, which follows the date received.
    const byDate = stream
      .filter((m) => m.spam === spam)
      .map((m, i) => ({ m, key: Number.isFinite(m.date) ? m.date : i }))
      .sort((a, b) => a.key - b.key || (a.m.id < b.m.id ? -1 : 1));
    for (const { m } of byDate.slice(Math.round(byDate.length * (1 - LATER_SHARE)))) latest.add(m);
  }
  const earlier = stream.filter((m) => !latest.has(m));
  const sameFrom = stream.length - SAME_VALIDATION;
  return [
    {
      name: 'same period',
      train: stream.slice(0, sameFrom),
      validation: stream.slice(sameFrom),
      checkpoints: [50, 200, 400, 1000, sameFrom],
    },
    {
      name: 'later',
      train: earlier,
      validation: stream.filter((m) => latest.has(m)),
      checkpoints: [50, 200, 400, 1000, earlier.length],
    },
  ];
}

const labelCache = new Map<string, Map<CorpusMessage, string[]>>();
const keyCache = new Map<string, Map<CorpusMessage, TokenBuffer>>();

export function tokensOf(features: FeatureOptions, key: string, messages: readonly CorpusMessage[]) {
  let labels = labelCache.get(key);
  let keys = keyCache.get(key);
  if (!labels || !keys) {
    labels = new Map();
    keys = new Map();
    labelCache.set(key, labels);
    keyCache.set(key, keys);
  }
  const extractor = new FeatureExtractor(features);
  for (const m of messages) {
    if (labels.has(m)) continue;
    labels.set(m, extractor.labels(asInput(m)));
    const out = new TokenBuffer();
    extractor.extract(asInput(m), out);
    keys.set(m, out);
  }
  return { labels, keys };
}

const snapshotCache = new Map<string, SpamSnapshot[]>();

/** The split's model after each checkpoint (counts depend on the features only, so shared by candidates). */
export function snapshotsOf(split: Split, features: FeatureOptions, key: string): SpamSnapshot[] {
  const cacheKey = `${split.name} ${split.train.length} ${key}`;
  const cached = snapshotCache.get(cacheKey);
  if (cached) return cached;
  const { labels } = tokensOf(features, key, split.train);
  const counts = new SpamCounts();
  const out: SpamSnapshot[] = [];
  let done = 0;
  for (const at of split.checkpoints) {
    for (; done < at; done++) counts.train(labels.get(split.train[done]!)!, split.train[done]!.spam ? 'spam' : 'ham');
    out.push(counts.toSnapshot());
  }
  snapshotCache.set(cacheKey, out);
  return out;
}

/** The most validation ham a candidate may hold after 400 and after 1,000 decisions. */
export interface HamLimits {
  at400: number;
  at1000: number;
}

/** The rule fixed before the searches of rounds 1-5. */
export const RULE: HamLimits = { at400: 0.01, at1000: 0.01 };
/**
 * Round 6, on the stream without the held-out fifth: no candidate met RULE, because after 1,000
 * decisions of the same-period split 13 of its 1,002 validation ham (hard ham: commercial mail the
 * reader asked for) score 0.997 or more whatever the shift. Fixed after seeing that, before ranking
 * any candidate: 1 % after 400 decisions (the goal's checkpoint), 2 % after 1,000.
 */
export const FALLBACK_RULE: HamLimits = { at400: 0.01, at1000: 0.02 };

/**
 * At the hold threshold, at most `limits` of validation ham held after 400 and after 1,000
 * decisions on both splits. Answers null when a candidate breaks it, else its rank: the validation
 * spam held there (mean of the four), then the early checkpoints (50 and 200, a hundredth as much)
 * to break ties.
 */
export function ruleScore(
  results: ReadonlyMap<string, readonly CheckpointResult[]>,
  limits: HamLimits = RULE,
): number | null {
  let main = 0;
  let early = 0;
  for (const rs of results.values())
    for (const r of rs) {
      if (r.at === 400 || r.at === 1000) {
        if (r.ham > (r.at === 400 ? limits.at400 : limits.at1000)) return null;
        main += r.spam / 4;
      } else if (r.at === 50 || r.at === 200) early += r.spam / 4;
    }
  return main + early / 100;
}

/** Scores of the validation messages after each checkpoint of one split. */
export function runSplit(
  split: Split,
  candidate: Candidate,
  hashPersonal: (value: string) => string,
  base: SpamSnapshot | null = null,
): CheckpointResult[] {
  const features = { hashPersonal, ...candidate.features };
  const key = JSON.stringify(candidate.features);
  const { keys } = tokensOf(features, key, [...split.train, ...split.validation]);
  const snapshots = snapshotsOf(split, features, key);
  const results: CheckpointResult[] = [];
  for (const [i, at] of split.checkpoints.entries()) {
    const scorer = new SpamScorer({ site: snapshots[i]!, base }, features, candidate.model);
    const scored = split.validation.map((m) => ({ spam: m.spam, score: scorer.scoreTokens(keys.get(m)!).score }));
    results.push(checkpointResult(at, scored));
  }
  return results;
}

/** Spam and ham held at the hold threshold, and spam held at the cut holding 1 % of the ham. */
export function checkpointResult(at: number, scored: readonly { spam: boolean; score: number }[]): CheckpointResult {
  const spam = scored.filter((s) => s.spam);
  const ham = scored.filter((s) => !s.spam).sort((a, b) => b.score - a.score);
  const cut = ham[Math.floor(ham.length * 0.01)]!.score;
  const held = (set: typeof scored) => set.filter((s) => s.score >= HOLD).length / set.length;
  return { at, spam: held(spam), ham: held(ham), ranked: spam.filter((s) => s.score > cut).length / spam.length };
}

/** Runs a candidate on both splits, prints a line per split; answers the results by split name. */
export function validate(
  splits: readonly Split[],
  candidate: Candidate,
  hashPersonal: (value: string) => string,
): Map<string, CheckpointResult[]> {
  const out = new Map<string, CheckpointResult[]>();
  const cells: string[] = [];
  for (const split of splits) {
    const results = runSplit(split, candidate, hashPersonal);
    out.set(split.name, results);
    cells.push(
      `${split.name}: ${results.map((r) => `${r.at} ${pct(r.spam).trim()}/${pct(r.ham).trim()} (${pct(r.ranked).trim()})`).join(' | ')}`,
    );
  }
  const rank = ruleScore(out);
  const fallback = ruleScore(out, FALLBACK_RULE);
  const verdict =
    rank !== null
      ? `rule: ${(rank * 100).toFixed(2)}`
      : fallback !== null
        ? `breaks the 1 % rule; fallback rule: ${(fallback * 100).toFixed(2)}`
        : 'breaks both rules';
  console.log(`${candidate.name} (${verdict})\n  ${cells.join('\n  ')}`);
  return out;
}

/**
 * The shared base model, simulated on the "later" split: the site learns the split's first 50, 200
 * and 400 decisions, the base (other sites) its decisions from 1,000 on, disjoint from the site's;
 * both score the same held-out latest quarter. Judges how a site with few decisions borrows.
 */
export function validateBase(
  splits: readonly Split[],
  candidate: Candidate,
  hashPersonal: (value: string) => string,
): CheckpointResult[] {
  const later = splits.find((s) => s.name === 'later')!;
  const { labels } = tokensOf({ hashPersonal, ...candidate.features }, JSON.stringify(candidate.features), later.train);
  const base = new SpamCounts();
  for (const m of later.train.slice(1000)) base.train(labels.get(m)!, m.spam ? 'spam' : 'ham');
  const site = { ...later, checkpoints: [50, 200, 400] };
  const results = runSplit(site, candidate, hashPersonal, base.toSnapshot());
  console.log(
    `${candidate.name} (with a base of ${later.train.length - 1000} other decisions)\n  later: ${results.map((r) => `${r.at} ${pct(r.spam).trim()}/${pct(r.ham).trim()} (${pct(r.ranked).trim()})`).join(' | ')}`,
  );
  return results;
}
