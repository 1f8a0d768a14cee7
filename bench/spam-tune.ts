// npx tsx bench/spam-tune.ts [filter] — the search that chose the spam model's defaults, on the
// benchmark's training stream only (bench/spam-validation.ts). It never reads spam-2, easy-ham-2
// or the held-out hard ham: `benchSplit(...).unseen` is not touched here.
import { createHmac } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchSplit, type CorpusMessage, loadCorpus } from './spam-corpus.ts';
import { type Candidate, validate, validateBase, validationSplits } from './spam-validation.ts';

const hashPersonal = (value: string) => createHmac('sha256', 'bench-secret').update(value).digest('hex');
const cache = path.join(os.tmpdir(), 'spam-corpus-cache.json');
let corpus: CorpusMessage[];
if (existsSync(cache))
  corpus = JSON.parse(readFileSync(cache, 'utf8'), (k, v) => (k === 'date' && v === null ? Number.NaN : v));
else {
  corpus = await loadCorpus();
  writeFileSync(cache, JSON.stringify(corpus));
}
const { stream } = benchSplit(corpus);
const splits = validationSplits(stream);
const filter = process.argv[2] ?? '';

// Round 1 (old defaults: floor 50, 1,000 tokens): Robinson's a and x, the strength cut, the token
// cap, the balancing floor, the shift, chi-square combining, 4-grams. Round 2: the winners
// combined (floor 10, 150 tokens), the shift again, link-shape tokens. Round 3, below, around the
// chosen defaults. The outputs are summarised in src/spam/spam-model.ts.
// Round 1 (old defaults: floor 50, 1,000 tokens): Robinson's a and x, the strength cut, the token
// cap, the balancing floor, the shift, chi-square combining, 4-grams. Round 2: the winners
// combined (floor 10, 150 tokens), the shift again, link-shape tokens. Round 3 around them: floor 5
// won (more spam after 50, the same after), u 0.52 and a 0.3 held too much ham, strength 0.2 mixed.
// Round 4, below, around the chosen defaults (floor 5). Outputs summarised in src/spam/spam-model.ts.
// Round 5 (after the throughput work), around the chosen defaults again: an unseen-token prior
// with a lower shift (new campaigns are made of words a site has not seen), more tokens per
// comment, a lower strength cut, link-shape tokens once more.
const candidates: Candidate[] = [
  { name: 'chosen defaults', features: {}, model: {} },
  { name: 'r5 shift 2.1', features: {}, model: { scoreShift: 2.1 } },
  { name: 'r5 shift 2.25', features: {}, model: { scoreShift: 2.25 } },
  { name: 'r5 shift 2.4', features: {}, model: { scoreShift: 2.4 } },
  { name: 'r5 shift 2.25, link shape', features: { linkShape: true }, model: { scoreShift: 2.25 } },
];
for (const c of candidates) if (filter !== 'base' && c.name.includes(filter)) validate(splits, c, hashPersonal);
// The base model's weight for a site with few decisions (src/spam-learning/spam-models.ts).
if (filter === 'base')
  for (const baseCap of [2, 5, 10, 20, 50])
    validateBase(splits, { name: `base cap ${baseCap}`, features: {}, model: { baseCap } }, hashPersonal);
