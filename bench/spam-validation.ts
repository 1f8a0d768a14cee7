// How the scorer's defaults were chosen, reproducibly and without the benchmark's unseen messages:
// on the training stream alone. The model learns the stream's first 200, 400 and 1,000 decisions and
// scores its last 1,200 (same period, not yet learned); each candidate (unseen-token prior u, shift)
// must hold at most 1 % of that validation ham at 0.9 after 400 and after 1,000 decisions, and the
// one holding the most validation spam there wins; ties go to the better ranking (spam held at the
// cut that holds 1 % of validation ham, averaged over the three checkpoints).
import type { FeatureExtractor, SpamInput } from '../src/spam/features.ts';
import { SpamCounts } from '../src/spam/spam-counts.ts';
import type { ModelOptions } from '../src/spam/spam-model.ts';
import { SpamScorer } from '../src/spam/spam-scorer.ts';
import type { CorpusMessage } from './spam-corpus.ts';

const TRAIN = [200, 400, 1000];
const VALIDATE_FROM = 2000;
const pct = (x: number) => `${(x * 100).toFixed(1)}%`.padStart(6);

export function validateDefaults(
  stream: readonly CorpusMessage[],
  extractor: FeatureExtractor,
  features: ConstructorParameters<typeof SpamScorer>[1],
  asInput: (m: CorpusMessage) => SpamInput,
): void {
  const validation = stream.slice(VALIDATE_FROM);
  const snapshots = new Map<number, ReturnType<SpamCounts['toSnapshot']>>();
  const counts = new SpamCounts();
  let done = 0;
  for (const at of TRAIN) {
    for (; done < at; done++)
      counts.train(extractor.labels(asInput(stream[done]!)), stream[done]!.spam ? 'spam' : 'ham');
    snapshots.set(at, counts.toSnapshot());
  }
  console.log(
    `\nValidation on the training stream (learn its first ${TRAIN.join('/')}, score its last ${validation.length}): spam held / ham held at 0.9, ranking`,
  );
  for (const u of [0.5, 0.55])
    for (const scoreShift of [0, 0.5, 1, 1.5, 2, 2.5, 3]) {
      const options: Partial<ModelOptions> = { unseenProbability: u, scoreShift };
      const cells = TRAIN.map((at) => {
        const scorer = new SpamScorer({ site: snapshots.get(at)! }, features, options);
        const scored = validation.map((m) => ({ spam: m.spam, score: scorer.score(asInput(m)).score }));
        const spam = scored.filter((s) => s.spam);
        const ham = scored.filter((s) => !s.spam).sort((a, b) => b.score - a.score);
        const cut = ham[Math.floor(ham.length * 0.01)]!.score;
        const held = (set: typeof scored) => set.filter((s) => s.score >= 0.9).length / set.length;
        const ranked = spam.filter((s) => s.score > cut).length / spam.length;
        return `${pct(held(spam))} /${pct(held(ham))}, ${pct(ranked)}`;
      });
      console.log(`  u ${u.toFixed(2)}, shift ${scoreShift.toFixed(1)}   ${cells.join('   ')}`);
    }
}
