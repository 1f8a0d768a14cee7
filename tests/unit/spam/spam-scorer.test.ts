import { describe, expect, it } from 'vitest';
import { FeatureExtractor } from '../../../src/spam/features.ts';
import { SpamCounts, type SpamSnapshot } from '../../../src/spam/spam-counts.ts';
import { DEFAULT_MODEL_OPTIONS } from '../../../src/spam/spam-model.ts';
import { SpamScorer } from '../../../src/spam/spam-scorer.ts';
import { comment, features, HAM, SPAM } from './spam-fixtures.ts';

const extractor = new FeatureExtractor(features);

function trained(spam: readonly string[], ham: readonly string[], times = 1, name = 'A reader'): SpamCounts {
  const counts = new SpamCounts();
  for (let i = 0; i < times; i++) {
    for (const body of spam) counts.train(extractor.labels(comment(body, { name })), 'spam');
    for (const body of ham) counts.train(extractor.labels(comment(body)), 'ham');
  }
  return counts;
}
const scorerOf = (site: SpamSnapshot, base?: SpamSnapshot) => new SpamScorer({ site, base }, features);
const MAX = DEFAULT_MODEL_OPTIONS.maxDiscriminators;

describe('spam scorer', () => {
  it('says 0.5 and names nothing when it knows nothing', () => {
    const result = scorerOf(new SpamCounts().toSnapshot()).score(comment('Cheap viagra, click here'));
    expect(result).toEqual({ score: 0.5, spam: [], ham: [], evidence: 0, unseen: 0 });
    const prior = new SpamScorer({ site: new SpamCounts().toSnapshot() }, features, { unseenProbability: 0.55 });
    expect(prior.score(comment('Cheap viagra, click here'))).toEqual(result);
  });

  it('adds the calibration shift to the log-odds per token of the evidence it finds', () => {
    const site = trained(SPAM, HAM).toSnapshot();
    const body = comment('The article on the trade agreement misses the history of the council vote.');
    const shifted = new SpamScorer({ site }, features, { scoreShift: 1 }).score(body);
    const plain = new SpamScorer({ site }, features, { scoreShift: 0 }).score(body);
    const logit = (p: number) => Math.log(p / (1 - p));
    expect(logit(shifted.score) - logit(plain.score)).toBeCloseTo(1, 9);
  });

  it('scores unseen spam high and unseen ham low, after a few decisions', () => {
    const scorer = scorerOf(trained(SPAM, HAM).toSnapshot());
    const spam = scorer.score(comment('Order cheap viagra now, free shipping, click here http://pills.example.biz'));
    const ham = scorer.score(comment('The article on the trade agreement misses the history of the council vote.'));
    expect(spam.score).toBeGreaterThanOrEqual(0.9);
    expect(ham.score).toBeLessThan(0.1);
  });

  it('explains a score with readable tokens each way, strongest first', () => {
    const scorer = scorerOf(trained(SPAM, HAM).toSnapshot());
    const result = scorer.score(comment('viagra pills, about the article'));
    expect(result.spam.map((r) => r.text)).toEqual(expect.arrayContaining(['viagra', 'pills']));
    expect(result.ham.map((r) => r.text)).toContain('article');
    expect(result.spam.length).toBeLessThanOrEqual(5);
    for (const r of result.spam) expect(r.weight).toBeGreaterThan(0);
    for (const r of result.ham) expect(r.weight).toBeLessThan(0);
    const probabilities = result.spam.map((r) => r.probability);
    expect(probabilities).toEqual([...probabilities].sort((a, b) => b - a));
    expect(result.evidence).toBeGreaterThanOrEqual(result.spam.length + result.ham.length);
  });

  it('shows a hashed name token only as "name (seen in spam)"', () => {
    const scorer = scorerOf(trained(SPAM, HAM, 1, 'Pill Shop').toSnapshot());
    const result = scorer.score(comment('Hello', { name: 'Pill Shop' }));
    const name = result.spam.find((r) => r.kind === 'name');
    expect(name?.text).toBe('name (seen in spam)');
    expect(name?.token).toMatch(/^n:[0-9a-f]{16}$/);
    expect(JSON.stringify(result)).not.toMatch(/pill|shop/i);
  });

  it('reads a disguise as the word it imitates', () => {
    const scorer = scorerOf(trained(SPAM, HAM, 3).toSnapshot());
    const result = scorer.score(comment('cheap v1@gr@ and c.i.a.l.i.s pills'));
    expect(result.score).toBeGreaterThan(0.8);
    expect(result.spam.map((r) => r.text)).toEqual(expect.arrayContaining(['viagra', 'cialis']));
  });

  it('counts each token once, and at most the maxDiscriminators strongest', () => {
    const counts = new SpamCounts();
    const words = Array.from({ length: MAX + 200 }, (_, i) => `word${i}`);
    counts.train(words, 'spam');
    counts.train(['other'], 'ham');
    const scorer = scorerOf(counts.toSnapshot());
    expect(scorer.score(comment('word1 word1 word1 word2')).evidence).toBe(2);
    expect(scorer.score(comment(words.join(' '))).evidence).toBe(MAX);
  });

  it('keeps the strongest tokens when there are more than maxDiscriminators', () => {
    const counts = new SpamCounts();
    const weak = Array.from({ length: MAX + 100 }, (_, i) => `weak${i}`);
    for (let i = 0; i < 3; i++) counts.train([...weak, 'strong'], 'spam');
    counts.train(weak, 'ham');
    for (let i = 0; i < 3; i++) counts.train(['other'], 'ham');
    const result = scorerOf(counts.toSnapshot()).score(comment([...weak, 'strong'].join(' ')));
    expect(result.evidence).toBe(MAX);
    expect(result.spam[0]?.text).toBe('strong');
  });

  it('counts the distinct tokens it has never seen as mild evidence for spam, the known weak ones not', () => {
    const counts = new SpamCounts();
    // "common" is in both classes alike: known, but too weak to be evidence.
    for (let i = 0; i < 3; i++) counts.train(['common', 'spammy'], 'spam');
    for (let i = 0; i < 3; i++) counts.train(['common', 'hammy'], 'ham');
    const scorer = new SpamScorer({ site: counts.toSnapshot() }, features, { unseenProbability: 0.55 });
    const known = scorer.score(comment('common common hammy'));
    const withNew = scorer.score(comment('common hammy novel novel unheard'));
    expect(known.evidence).toBe(1);
    // "novel" twice counts once; the word pairs and shape tokens of the comment are new too.
    expect(withNew.unseen).toBeGreaterThanOrEqual(2);
    expect(withNew.score).toBeGreaterThan(known.score);
    // On by default (0.6, DEFAULT_MODEL_OPTIONS): new words lean a comment to spam.
    const byDefault = scorerOf(counts.toSnapshot());
    expect(byDefault.score(comment('hammy novel unheard')).score).toBeGreaterThan(
      byDefault.score(comment('hammy')).score,
    );
    // Off at 0.5: what the comment has new says nothing.
    const off = new SpamScorer({ site: counts.toSnapshot() }, features, { unseenProbability: 0.5 });
    expect(off.score(comment('hammy novel unheard')).score).toBeCloseTo(off.score(comment('hammy')).score, 12);
  });

  it('is deterministic and ignores the order of snapshot rows', () => {
    const snapshot = trained(SPAM, HAM).toSnapshot();
    const reversed = { ...snapshot, tokens: [...snapshot.tokens].reverse() };
    const body = comment('Free casino bonus, the council article, click here');
    expect(scorerOf(reversed).score(body)).toEqual(scorerOf(snapshot).score(body));
    const scorer = scorerOf(snapshot);
    expect(scorer.score(body)).toEqual(scorer.score(body));
  });
});

describe('spam scorer: base and site', () => {
  const base = trained(SPAM, HAM, 4).toSnapshot();
  const bitcoinSpam = 'Bitcoin bitcoin investment doubling, bitcoin returns guaranteed';

  it('scores with the base alone while a site has no decisions', () => {
    const empty = new SpamCounts().toSnapshot();
    const body = comment('Cheap viagra, click here http://pills.example.biz');
    expect(scorerOf(empty, base).score(body)).toEqual(scorerOf(base).score(body));
  });

  it("lets a site's own decisions outweigh the base on the tokens it has seen", () => {
    const withBitcoinSpam = trained([...SPAM, bitcoinSpam], HAM, 4).toSnapshot();
    const talk = comment('Bitcoin investment returns look doubtful to me');
    const baseOnly = scorerOf(new SpamCounts().toSnapshot(), withBitcoinSpam).score(talk);
    expect(baseOnly.score).toBeGreaterThan(0.5);
    expect(baseOnly.spam.map((r) => r.text)).toContain('bitcoin');
    // A site about crypto approves bitcoin talk: its own counts win.
    const site = new SpamCounts();
    for (let i = 0; i < 20; i++) site.train(extractor.labels(talk), 'ham');
    for (const body of SPAM) site.train(extractor.labels(comment(body)), 'spam');
    const blended = scorerOf(site.toSnapshot(), withBitcoinSpam).score(talk);
    expect(blended.score).toBeLessThan(0.1);
    expect(blended.spam.map((r) => r.text)).not.toContain('bitcoin');
  });

  it('still uses the base for tokens the site has never seen', () => {
    const site = new SpamCounts();
    for (const body of HAM) site.train(extractor.labels(comment(body)), 'ham');
    const result = scorerOf(site.toSnapshot(), base).score(comment('cheap replica watches, best price guaranteed'));
    expect(result.score).toBeGreaterThanOrEqual(0.9);
    expect(result.spam.map((r) => r.text)).toContain('replica');
  });
});
