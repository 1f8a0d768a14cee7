import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FeatureExtractor } from '../../../src/spam/features.ts';
import { pruneVictims, SpamCounts, trainingDelta } from '../../../src/spam/spam-counts.ts';
import { comment, features, HAM, SPAM } from './spam-fixtures.ts';

const extractor = new FeatureExtractor(features);
const decisions = fc.array(
  fc.record({ labels: fc.array(fc.string({ minLength: 1, maxLength: 6 }), { maxLength: 12 }), spam: fc.boolean() }),
  { maxLength: 30 },
);
const label = (spam: boolean) => (spam ? 'spam' : 'ham');

describe('spam counts', () => {
  it('counts each distinct token of a decision once', () => {
    const counts = new SpamCounts();
    counts.train(['free', 'free', 'money'], 'spam');
    counts.train(['free', 'news'], 'ham');
    expect(counts.toSnapshot()).toEqual({
      spamDecisions: 1,
      hamDecisions: 1,
      tokens: [
        { token: 'free', spam: 1, ham: 1 },
        { token: 'money', spam: 1, ham: 0 },
        { token: 'news', spam: 0, ham: 1 },
      ],
    });
    expect(trainingDelta(['b', 'a', 'b'], 'ham', -1)).toEqual({
      spamDecisions: 0,
      hamDecisions: -1,
      tokens: [
        { token: 'a', spam: 0, ham: -1 },
        { token: 'b', spam: 0, ham: -1 },
      ],
    });
  });

  it('untraining every decision leaves an empty model, in any order', () => {
    fc.assert(
      fc.property(decisions, fc.integer(), (list, seed) => {
        const counts = new SpamCounts();
        for (const d of list) counts.train(d.labels, label(d.spam));
        const shuffled = [...list].sort((a, b) => ((seed ^ a.labels.length) % 3) - ((seed ^ b.labels.length) % 3));
        for (const d of shuffled) counts.untrain(d.labels, label(d.spam));
        expect(counts.toSnapshot()).toEqual({ spamDecisions: 0, hamDecisions: 0, tokens: [] });
      }),
    );
  });

  it('gives the same model whatever the order of training', () => {
    fc.assert(
      fc.property(decisions, (list) => {
        const a = new SpamCounts();
        const b = new SpamCounts();
        for (const d of list) a.train(d.labels, label(d.spam));
        for (const d of [...list].reverse()) b.train(d.labels, label(d.spam));
        expect(a.toSnapshot()).toEqual(b.toSnapshot());
      }),
    );
  });

  it('untrains real comments back to nothing and survives a snapshot round trip', () => {
    const counts = new SpamCounts();
    for (const body of SPAM) counts.train(extractor.labels(comment(body)), 'spam');
    for (const body of HAM) counts.train(extractor.labels(comment(body)), 'ham');
    const copy = SpamCounts.fromSnapshot(JSON.parse(JSON.stringify(counts.toSnapshot())));
    expect(copy.toSnapshot()).toEqual(counts.toSnapshot());
    for (const body of SPAM) copy.untrain(extractor.labels(comment(body)), 'spam');
    for (const body of HAM) copy.untrain(extractor.labels(comment(body)), 'ham');
    expect(copy.size).toBe(0);
    expect(copy.spamDecisions + copy.hamDecisions).toBe(0);
  });

  it('never goes below zero when untraining what is not there', () => {
    const counts = new SpamCounts();
    counts.train(['a'], 'ham');
    counts.untrain(['a', 'b'], 'spam');
    expect(counts.toSnapshot()).toEqual({
      spamDecisions: 0,
      hamDecisions: 1,
      tokens: [{ token: 'a', spam: 0, ham: 1 }],
    });
  });

  it('refuses snapshots with negative or fractional counts', () => {
    expect(() => SpamCounts.fromSnapshot({ spamDecisions: -1, hamDecisions: 0, tokens: [] })).toThrow(RangeError);
    expect(() =>
      SpamCounts.fromSnapshot({ spamDecisions: 1, hamDecisions: 0, tokens: [{ token: 'a', spam: 0.5, ham: 0 }] }),
    ).toThrow(RangeError);
  });
});

describe('spam counts: pruning', () => {
  it('keeps at most the bound, dropping the rarest and then the least telling tokens first', () => {
    const counts = new SpamCounts();
    for (let i = 0; i < 10; i++) counts.train(['common', 'spammy', `rare${i}`, ...(i < 5 ? ['mixed'] : [])], 'spam');
    for (let i = 0; i < 10; i++) counts.train(['common', 'hammy', ...(i < 5 ? ['mixed'] : [])], 'ham');
    counts.train(['once'], 'ham');
    expect(counts.size).toBe(15);
    // The eleven tokens seen once go first; then, among those seen ten times, "mixed", which leans
    // neither way; "common" has the most decisions of all.
    expect(counts.prune(3)).toBe(12);
    expect(counts.toSnapshot().tokens.map((t) => t.token)).toEqual(['common', 'hammy', 'spammy']);
    expect(counts.prune(3)).toBe(0);
  });

  it('holds the bound for any model', () => {
    fc.assert(
      fc.property(decisions, fc.integer({ min: 0, max: 20 }), (list, max) => {
        const counts = new SpamCounts();
        for (const d of list) counts.train(d.labels, label(d.spam));
        const before = counts.size;
        const victims = pruneVictims(counts.toSnapshot(), max);
        counts.prune(max);
        expect(counts.size).toBe(Math.min(before, max));
        expect(victims).toHaveLength(Math.max(0, before - max));
      }),
    );
  });
});
