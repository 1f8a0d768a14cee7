// The throughput work on the scorer (issue 16) must change no score: the optimised tokenizer and
// scorer in src/spam are checked against frozen copies of the code as it was before
// (./reference/), on the news comments, the profanity corpora (disguises, look-alikes) and
// generated bodies, under the default options and the ones that take other paths (chi-square,
// unseen tokens as evidence, more tokens than maxDiscriminators, a base model).
import { describe, expect, it } from 'vitest';
import { BodyTokenizer, type NgramMode } from '../../../src/spam/body-tokens.ts';
import { FeatureExtractor, type SpamInput } from '../../../src/spam/features.ts';
import { SpamCounts } from '../../../src/spam/spam-counts.ts';
import type { ModelOptions } from '../../../src/spam/spam-model.ts';
import { type SpamScore, SpamScorer } from '../../../src/spam/spam-scorer.ts';
import { shapeOf } from '../../../src/spam/text-shape.ts';
import { TokenBuffer } from '../../../src/spam/token-keys.ts';
import { readComments, readCorpus } from '../../support/corpus.ts';
import { BodyTokenizer as ReferenceTokenizer } from './reference/body-tokens.ts';
import { FeatureExtractor as ReferenceExtractor } from './reference/features.ts';
import { SpamScorer as ReferenceScorer } from './reference/spam-scorer.ts';
import { shapeOf as referenceShapeOf } from './reference/text-shape.ts';
import { TokenBuffer as ReferenceBuffer } from './reference/token-keys.ts';
import { features, HAM, SPAM } from './spam-fixtures.ts';

const news = readComments('comments/news-comments.txt');
const disguises = [
  ...readCorpus('profanity/evasions.txt'),
  ...readCorpus('profanity/innocent.txt'),
  ...readCorpus('profanity/heldout-disguises.txt'),
  ...readCorpus('profanity/heldout-places.txt'),
];
/** A seeded generator (mulberry32), so the generated bodies are the same on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const next = random(16);
const ALPHABET = "aaeeiioouu bcdfghlmnprst  $@!|1034-'.,\n FREE Viagra С café ＦＲＥＥ \u200b 😀";
const generated = Array.from({ length: 300 }, (_, i) => {
  const length = i < 10 ? 4000 + i * 500 : Math.floor(next() * 400);
  let body = '';
  for (let k = 0; k < length; k++) body += ALPHABET[Math.floor(next() * ALPHABET.length)];
  // Long words, spaced and dotted letters, numbers and links among the noise.
  return `${body} f r e e c.i.a.l.i.s v-i-a-g-r-a freeeeee $250 2002 ${'x'.repeat(i % 40)} http://www.shop${i % 7}.example.co.uk/p mail me at someone${i}@example.org`;
});
const bodies = [...news, ...disguises, ...SPAM, ...HAM, ...generated];
const people = [
  { name: 'A reader', email: 'reader@example.org' },
  { name: 'Cheap Pills 4U', email: 'sales@pills.example.biz' },
  { name: '', email: '' },
  { name: 'Ｍａｒｉａ  da Silva www.x.example', email: ' Maria@Example.COM. ' },
];
const inputs: SpamInput[] = bodies.map((body, i) => ({ ...people[i % people.length]!, body }));

// A model that knows most of these tokens: every input learned once, labelled by a seeded coin
// (so tokens get every strength, strong and weak), a base from another coin.
const extractor = new FeatureExtractor(features);
function model(seed: number, share: number): SpamCounts {
  const coin = random(seed);
  const counts = new SpamCounts();
  for (const input of inputs) if (coin() < 0.8) counts.train(extractor.labels(input), coin() < share ? 'spam' : 'ham');
  return counts;
}
const site = model(1, 0.3).toSnapshot();
const base = model(2, 0.5).toSnapshot();

const VARIANTS: [string, Partial<ModelOptions>, boolean][] = [
  ['defaults', {}, false],
  ['defaults with a base model', {}, true],
  ['chi-square combining', { combining: 'chi-square' }, false],
  ['unseen tokens as evidence', { unseenProbability: 0.55 }, true],
  ['more tokens than maxDiscriminators', { maxDiscriminators: 20, explain: 8 }, false],
  ['no explanation', { explain: 0, minStrength: 0.3 }, false],
];

/** Everything a score says, the reasons by identity of their text and numbers. */
const said = (s: SpamScore) => ({
  evidence: s.evidence,
  unseen: s.unseen,
  spam: s.spam.map((r) => [r.token, r.text, r.kind, r.probability, r.weight]),
  ham: s.ham.map((r) => [r.token, r.text, r.kind, r.probability, r.weight]),
});

describe('the optimised spam scorer against the reference copy', () => {
  for (const [name, options, withBase] of VARIANTS)
    it(`gives every comment the same score and the same top tokens: ${name}`, () => {
      const source = { site, base: withBase ? base : null };
      const reference = new ReferenceScorer(source, features, options);
      const scorer = new SpamScorer(source, features, options);
      expect(scorer.size).toBe(reference.size);
      // Twice over, so the second pass meets the scorer's reused buffers and remembered hashes.
      const twice = [...inputs, ...inputs];
      const want = twice.map((input) => reference.score(input));
      const got = twice.map((input) => scorer.score(input));
      const gap = Math.max(...got.map((g, i) => Math.abs(g.score - want[i]!.score)));
      expect(gap).toBeLessThanOrEqual(1e-12);
      expect(got.filter((g, i) => g.score !== want[i]!.score)).toHaveLength(0);
      expect(got.map(said)).toEqual(want.map(said));
    });

  it('scores spread out (the comparison is not between constants)', () => {
    const scorer = new SpamScorer({ site }, features);
    const scores = inputs.map((i) => scorer.score(i).score);
    expect(new Set(scores.map((x) => x.toFixed(6))).size).toBeGreaterThan(500);
    expect(scores.filter((x) => x >= 0.9).length).toBeGreaterThan(100);
    expect(scores.filter((x) => x < 0.1).length).toBeGreaterThan(100);
  });
});

describe('the optimised body tokenizer against the reference copy', () => {
  const modes: [NgramMode, { bigrams?: boolean; caps?: boolean; numberShapes?: boolean }][] = [
    ['disguised', { bigrams: true, caps: true, numberShapes: true }],
    ['all', { bigrams: true, caps: true, numberShapes: true }],
    ['none', {}],
    ['all', { bigrams: false, caps: true, numberShapes: false }],
  ];
  for (const [ngrams, extra] of modes)
    it(`reads the same tokens, keys and labels: n-grams ${ngrams}, ${JSON.stringify(extra)}`, () => {
      const ours = new BodyTokenizer(ngrams, extra);
      const theirs = new ReferenceTokenizer(ngrams, extra);
      for (const withLabels of [false, true]) {
        const a = new TokenBuffer(withLabels);
        const b = new ReferenceBuffer(withLabels);
        const ourKeys: number[] = [];
        const theirKeys: number[] = [];
        const ourLabels: string[] = [];
        const theirLabels: string[] = [];
        const sa = { letters: 0, upper: 0 };
        const sb = { letters: 0, upper: 0 };
        for (const body of bodies) {
          a.clear();
          b.clear();
          ours.tokenize(body, a, sa);
          theirs.tokenize(body, b, sb);
          ourKeys.push(a.count, ...a.h1.subarray(0, a.count), ...a.h2.subarray(0, a.count));
          theirKeys.push(b.count, ...b.h1.subarray(0, b.count), ...b.h2.subarray(0, b.count));
          ourLabels.push(...(a.labels ?? []), '|');
          theirLabels.push(...(b.labels ?? []), '|');
        }
        expect(sa).toEqual(sb);
        expect(ourKeys.length).toBeGreaterThan(bodies.length * 10);
        expect(ourKeys.length).toBe(theirKeys.length);
        expect(ourKeys.findIndex((k, i) => k !== theirKeys[i])).toBe(-1);
        expect(ourLabels).toEqual(theirLabels);
      }
    });
});

describe('the optimised feature extractor against the reference copy', () => {
  // Recurring and new names and addresses, with and without the caller's hash of the address, so
  // the remembered tokens of a name or an address are met again and must still be the same.
  const senders = [
    ...people,
    { name: 'A reader', email: 'reader@example.org', emailHash: 'ab'.repeat(32) },
    { name: 'A reader', email: 'reader@example.org', emailHash: 'cd'.repeat(32) },
    // Names read in one pass now (foldWords): more than eight words with repeats, links in any
    // case, invisible and full-width characters, nothing but separators.
    { name: 'a b a c d e f g h i b j k', email: 'x@y.example' },
    { name: 'Visit HTTP://pills.example or WwW.pills.example', email: 'x@y.example' },
    { name: 'ww.w w ://x www', email: '' },
    { name: 'Jo\u200bhn  Ｄｏｅ１２ Ｄｏｅ１２ café-au-lait', email: 'jd@example.org' },
    { name: ' ...  --  !! ', email: 'a@b.c' },
    { name: "O'Brien l33t 4U ٣", email: 'ob@example.ie' },
    ...Array.from({ length: 40 }, (_, i) => ({
      name: `Reader${i % 13} Näme ${i % 3}`,
      email: `r${i % 7}@ex${i % 2}.example`,
    })),
  ];
  const mixed: SpamInput[] = [...bodies, ...bodies].map((body, i) => ({ ...senders[i % senders.length]!, body }));

  it('reads the same tokens, keys and labels from every comment', () => {
    const ours = new FeatureExtractor(features);
    const theirs = new ReferenceExtractor(features);
    for (const withLabels of [false, true]) {
      const a = new TokenBuffer(withLabels);
      const b = new TokenBuffer(withLabels);
      let compared = 0;
      for (const input of mixed) {
        ours.extract(input, a);
        theirs.extract(input, b);
        expect([...a.h1.subarray(0, a.count)]).toEqual([...b.h1.subarray(0, b.count)]);
        expect([...a.h2.subarray(0, a.count)]).toEqual([...b.h2.subarray(0, b.count)]);
        expect(a.labels).toEqual(b.labels);
        compared += a.count;
      }
      expect(compared).toBeGreaterThan(mixed.length * 10);
    }
    expect(mixed.slice(0, 200).map((i) => ours.labels(i))).toEqual(mixed.slice(0, 200).map((i) => theirs.labels(i)));
  });

  it('reads the same text shape as the reference', () => {
    const shaped = [
      ...bodies,
      'HELLO THERE\n\n\nBUY NOW!!!\n> quoted\n__________\n$ 20 and €5 or 75% &nbsp; <b>x</b>\n',
      '==========\n##########~~~~\naaaaaa\n      \n\n中文 text\r\n\tTabbed\n',
      '',
      '\n',
      '%50 5% $x $ 9 ¥ 1 £2',
      // At the bins' edges, where a count one off changes the token.
      'first\n\n\n\nsecond 5% 6%!!!',
      ...Array.from({ length: 12 }, (_, k) => `${'LOUD LINE\n'.repeat(k)}${'quiet line\n\n'.repeat(12 - k)}`),
    ];
    const seen = new Set<string>();
    for (const body of shaped) {
      const a: number[] = [];
      const b: number[] = [];
      shapeOf(body, a);
      referenceShapeOf(body, b);
      expect(a).toEqual(b);
      seen.add(a.join(','));
    }
    expect(seen.size).toBeGreaterThan(30);
  });
});
