// The learned spam score in `npm run bench`, next to the rule filters: a model trained on the
// SpamAssassin stream of `npm run bench:spam` (spam-1, easy-ham-1, hard-ham-1: 3,250 decisions),
// pruned to a site's bound of 50,000 tokens and compiled once as a process's snapshot is, then the same comments scored by the rule filters
// alone, by the pipeline with the learned_spam filter, and by the scorer alone. CPU time of this
// process, interleaved rounds, median; the ratios are what carries over to another machine.
import { createHmac } from 'node:crypto';
import type { FilterInput, LearnedModel } from '../src/filters/filter.ts';
import { runFilters } from '../src/filters/pipeline.ts';
import { FeatureExtractor } from '../src/spam/features.ts';
import { DEFAULT_MAX_TOKENS, SpamCounts } from '../src/spam/spam-counts.ts';
import { SpamScorer } from '../src/spam/spam-scorer.ts';
import { loadCorpus } from './spam-corpus.ts';

const collectGarbage = (globalThis as { gc?: () => void }).gc ?? (() => {});
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function rate(count: number, roundMs: number, run: (i: number) => number): number {
  collectGarbage();
  let sink = 0;
  let done = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  while (performance.now() - started < roundMs) {
    for (let i = 0; i < count; i++) sink += run(i);
    done += count;
  }
  const used = process.cpuUsage(cpu);
  if (sink === -1) console.log(sink); // keeps the work observable
  return done / ((used.user + used.system) / 1e6);
}

export async function benchLearnedScore(
  comments: readonly string[],
  input: (body: string) => FilterInput,
  rounds: number,
  roundMs: number,
): Promise<void> {
  const hashPersonal = (value: string) => createHmac('sha256', 'bench-secret').update(`spam:${value}`).digest('hex');
  const features = { hashPersonal };
  const extractor = new FeatureExtractor(features);
  const counts = new SpamCounts();
  const decisions = await loadCorpus(['spam-1', 'easy-ham-1', 'hard-ham-1']);
  for (const m of decisions)
    counts.train(extractor.labels({ name: m.fromName, email: m.fromAddress, body: m.body }), m.spam ? 'spam' : 'ham');
  // A site's stored model is pruned to its bound; so is this snapshot.
  counts.prune(DEFAULT_MAX_TOKENS);
  const compiled = performance.now();
  const scorer = new SpamScorer({ site: counts.toSnapshot() }, features);
  const compileMs = performance.now() - compiled;
  const model: LearnedModel = { scorer, siteDecisions: decisions.length, baseDecisions: 0 };
  const emailHash = hashPersonal('email:reader@example.com');
  const plain = comments.map(input);
  const withModel = comments.map((body) => ({ ...input(body), learned: { model, emailHash } }));
  const spamInputs = plain.map((i) => ({ ...i.comment, emailHash }));
  const engines = [
    { name: 'rule filters (runFilters, no model)', run: (i: number) => runFilters(plain[i]!).verdicts.length },
    {
      name: 'rule filters + learned_spam (runFilters)',
      run: (i: number) => runFilters(withModel[i]!).verdicts.length,
    },
    { name: 'learned score alone (SpamScorer.score)', run: (i: number) => scorer.score(spamInputs[i]!).score },
  ];
  for (const e of engines) rate(comments.length, roundMs, e.run); // JIT warm-up
  const rates = engines.map(() => [] as number[]);
  for (let r = 0; r < rounds; r++) engines.forEach((e, k) => rates[k]!.push(rate(comments.length, roundMs, e.run)));
  const [rules, pipeline, alone] = rates.map(median) as [number, number, number];
  console.log(
    `\nLearned spam score: a model of ${decisions.length.toLocaleString('en')} decisions (${counts.size.toLocaleString('en')} tokens, ${scorer.size.toLocaleString('en')} as evidence), compiled in ${Math.round(compileMs)} ms`,
  );
  console.log('engine                                       comments/s   vs the rule filters');
  for (const [name, value] of [
    [engines[0]!.name, rules],
    [engines[1]!.name, pipeline],
    [engines[2]!.name, alone],
  ] as const)
    console.log(
      `${name.padEnd(44)} ${Math.round(value).toLocaleString('en').padStart(10)}   ${(value / rules).toFixed(2)}x`,
    );
  console.log(
    `The learned filter adds ${(((1 / pipeline - 1 / rules) / (1 / rules)) * 100).toFixed(0)}% to the pipeline's time per comment.`,
  );
}
