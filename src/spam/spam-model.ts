// The learned spam score: naive Bayes over token counts, with Robinson's token probabilities
// (as in SpamBayes), per site, with a shared base model.
//
// WHY THIS MODEL (measured by `npm run bench:spam` on the SpamAssassin corpus, same tokens for all)
// - It learns faster. After 400 decisions it held 90.1 % of unseen spam (spam-2) with 0.7 % of
//   unseen ham held (88.6 % / 0.6 % with the defaults before the validation search below); online
//   logistic regression on the same hashed tokens held 54 % (61 % after all 3,200 decisions).
//   (Numbers of the benchmark before round 6; README's Benchmarks has the current ones.) A site's first few hundred decisions are where the model matters most.
//   (Logistic regression fitted in many passes ranks about as well, 92-94 % at 1 % ham after 400
//   decisions, but needs every comment's tokens at hand and its weights follow no count an undo
//   could subtract; Robinson-Fisher chi-square combining holds 76 % after 400.)
// - Its state is counts. Training adds, an undo subtracts the same numbers exactly (replays and
//   restores leave no drift; online logistic regression cannot promise that, as its updates depend
//   on the order and on the weights at the time), workers can apply events in any order, and a
//   retrain from the moderation log rebuilds the same rows.
// - Each token's probability is a fact a moderator can read ("viagra": 0.99), and the score is
//   their weights added up, so the explanation is the model itself.
//
// THE FORMULAS (Robinson 2003, "A statistical approach to the spam problem")
// Per token w seen in s of S spam decisions and h of H ham decisions:
//   p(w) = (s/S) / (s/S + h/H)                    the spam share, corrected for class sizes
//   f(w) = (a·x + n·p(w)) / (a + n)                shrunk towards a prior x with strength a
// n counts the observations with both classes scaled down to M = max(min(S, H), 5) decisions:
//   n = s·min(1, M/S) + h·min(1, M/H).
// This balancing is our change to SpamBayes. Moderators decide far more ham than spam (5:1 in the
// benchmark), so unscaled, a ham word gets five times the evidence of an equally telling spam word
// and the score leans to ham: 57 % of spam held after 400 decisions instead of 87 %, for 0.2 %
// instead of 1.0 % of ham. Below 5 decisions of the smaller class nothing is scaled: a couple of
// spam decisions must not make each of their words count as much as a whole class's. (The floor
// was 50: then a site's first 50 spam decisions were drowned by its ham, and after 50 decisions,
// about 8 of them spam, the model held 28 % of same-period validation spam; with 5, 57 % (with the
// other defaults), at 0.5 % of validation ham.)
// For a token the site has little evidence on, x and a come from the base model: x = the base's
// f(w), a = 0.2 + min(base observations, 5), so the base counts as at most five of the site's own
// observations of that token and the site's evidence soon outweighs it (a crypto blog approving
// "bitcoin" talk wins over a base that saw bitcoin spam); tokens the site has never seen keep the
// base's view. Without a base, x = 0.5 and a = 0.2 (SpamBayes uses 0.45; 0.2 separated spam from
// ham better on a validation split of the training stream: its last 1,200 decisions, trained on the
// first 400 and 1,000). The alternative, switching from the base to the site model at N decisions, throws away the base's knowledge of every token the site has not
// met yet, and makes the score jump on the day of the switch.
// Tokens with |f - 0.5| >= 0.15, the 150 strongest, are the evidence; with w = ln(f / (1 - f)),
//   score = σ(Σ w / √n + 0.8)  (σ the logistic function, n the number of tokens)
// the naive Bayes posterior with equal priors, its log-odds divided by √n because a comment's
// tokens are far from independent ("click", "here", "click here"): n tokens tell about √n times
// what one does, not n times. SpamBayes' chi-square combining (`combining: 'chi-square'`) is kept
// as an option: on the benchmark it holds 76 % after 400 decisions and 83 % after all of them.
// An option `unseenProbability` counts each distinct token the model has never seen as evidence
// with that f (0.55 leans a comment full of new words to spam: spam comes from outside a site's
// vocabulary); it ranks a little better after 200 and 400 decisions but needs another shift, and
// it lost on the validation rule below until round 6; since then it is on, at 0.6 (with the shift
// 0.8): each distinct token the site has never seen counts as a token of f = 0.6 (w = 0.41).
//
// HOW THE DEFAULTS WERE CHOSEN, never on the benchmark's unseen messages (spam-2, easy-ham-2, the
// held-out hard ham): on two validation splits of the training stream (bench/spam-validation.ts;
// the search is bench/spam-tune.ts, its rounds noted there). "Same period": learn the stream's
// first 50-2,000 decisions, score its last 1,200. "Later": hold out the latest quarter of the
// stream's spam and of its ham by date, learn the rest, score them: spam newer than what was
// learned, as spam-2 is newer than spam-1. The rule, fixed before the search: at the hold
// threshold 0.9, at most 1 % of validation ham held after 400 and after 1,000 decisions on both
// splits; among those, the most validation spam held there; the early checkpoints break ties.
// What it found (validation spam / ham held after 400 decisions, same period and later):
//   previous defaults (floor 50, 1,000 tokens, cut 0.1)   93.6 / 0.8 and 94.4 / 0.9
//   balancing floor 10 and the 150 strongest tokens       95.2 / 0.9 and 95.2 / 0.7 (after 50: 61 / 41)
//   floor 5                                               the same, and after 50 later 59 / 0.3
//   strength cut 0.15                                     96.3 / 1.0 and 96.8 / 0.7
//   shift 2.4 instead of 2 (chosen; round 5)              97.3 / 1.0 and 97.6 / 1.0 (after 1,000:
//                                                         0.7 % and 0.3 % of ham; 2.1 and 2.25 hold
//                                                         less spam at the same ham, 2.5 broke the rule)
// ROUND 6 (issue 16's protocol): a seeded fifth of each training group is now held out of the
// stream (bench/spam-corpus.ts), so the search ran again on validation splits of the other four
// fifths alone. There, the round-5 defaults broke the rule (1.4 % of same-period validation ham
// after 400 decisions, 2.1 % after 1,000: hard ham, commercial mail its reader asked for, scoring
// 0.997 or more at any shift), and so did every shift, strength cut and token cap with word pairs
// (grid: shift 1.4-2.4 x |f-.5| 0.1-0.2 x 100-300 tokens). Within it (validation spam held after
// 400 decisions, same period / later; ham held after 1,000):
//   the same, unseen tokens f = 0.6, shift 0.8 (chosen)  92.9 / 90.0 %; 1.0 % and 0.2 % of ham
//   the same, unseen tokens f = 0.55, shift 1.2          91.4 / 88.0 %; 0.9 % and 0.2 %
//   (f = 0.6 with shift 1-1.2, 0.65 and 0.7 at shifts 0.4-1.2 broke the rule)
//   no word pairs, link-shape tokens, shift 1.7           88.9 / 88.0 %; 1.0 % and 0.0 % of ham
//   no word pairs, shift 1.7                              88.9 / 86.0 %; the same ham
//   no word pairs, shift 1.5                              a little less spam
//   4-grams of every word, shift 2.2                      82.8 / 72.0 %
// Without word pairs the model ranks better (at the cut holding 1 % of validation ham after 1,000
// decisions: 97 % of same-period spam against 89 %), and a message has about half the tokens (236
// against 440 on average on the corpus, link-shape tokens included).
// Broke the rule: shift 1.8-2.4 without word pairs (1.1-1.5 % after 1,000); and, with word
// pairs, |f-.5| >= 0.2, Robinson's a = 0.1-1, u = 0.52-0.6 at shifts 0-2.4, tokens seen 2 or 3
// times only, the log-odds divided by n^0.4-0.7 instead of √n, naive Bayes plus online logistic
// regression's log-odds (weights 0.5 and 1), each at its best shift: bench/spam-experiments.ts. A fallback rule (2 % after 1,000) would have chosen word pairs,
// shift 2.2 and 300 tokens (94.9 / 94.0 % after 400, 1.8 % of same-period ham after 1,000).
// Round 5 also rejected u = 0.52 with shift 1 or 1.5 (1.1 % of same-period ham after 400, or less
// spam), the 300 strongest tokens, and link-shape tokens again (with shift 2.25 too: no gain).
// Rejected on the rule: shift 2.5 or 3, Robinson's a = 0.3-1 or x = 0.55, an unseen-token prior
// u = 0.52 or 0.55 (each more spam, but 1.1-2.6 % of validation ham after 400), chi-square
// combining (85 % of validation spam after 400), 4-grams of every word, and link-shape tokens
// (features.ts: top-level domain, IP, digits in the domain; no gain). Without 4-grams of disguised
// words, validation was the same within a message or two; they stay, for disguises the corpus
// lacks. With a base model (other sites' decisions, simulated by the later split's decisions from
// 1,000 on), a site holds 95 % of later spam at 0.3 % of ham after 50 decisions of its own, for
// base caps from 5 to 50; 5 stays.
// THRESHOLDS: a comment scoring >= 0.9 is held; marking spam outright is off by default (a site may
// set, e.g., 0.99). See the README's Benchmarks for what the defaults do on the unseen messages.

export interface ModelOptions {
  /** Robinson's a for tokens without base evidence. */
  unknownStrength: number;
  /** Robinson's x for tokens without base evidence. */
  unknownProbability: number;
  /** The most base observations a token's prior is worth. */
  baseCap: number;
  /** Tokens closer than this to 0.5 are not evidence. */
  minStrength: number;
  /** The strongest tokens used per comment. */
  maxDiscriminators: number;
  /** How many tokens each way an explanation names. */
  explain: number;
  /** Count a token's observations as if both classes had as many decisions as the smaller one. */
  balance: boolean;
  /** Balancing scales the larger class down to no fewer than this many decisions. */
  balanceFloor: number;
  /** How token probabilities combine: summed log-odds (default) or SpamBayes' chi-square. */
  combining: 'log-odds' | 'chi-square';
  /** Added to the log-odds per √token before σ (log-odds combining): where the hold threshold bites. */
  scoreShift: number;
  /** f of a token the model has never seen (0.5: no evidence); counted for each distinct one. */
  unseenProbability: number;
}

export const DEFAULT_MODEL_OPTIONS: Readonly<ModelOptions> = Object.freeze({
  unknownStrength: 0.2,
  unknownProbability: 0.5,
  baseCap: 5,
  minStrength: 0.15,
  maxDiscriminators: 150,
  explain: 5,
  balance: true,
  balanceFloor: 5,
  combining: 'log-odds',
  scoreShift: 0.8,
  unseenProbability: 0.6,
});

/** p(w): the token's spam share with both classes weighed equally. */
export function spamShare(spam: number, spamDecisions: number, ham: number, hamDecisions: number): number {
  const sr = spamDecisions > 0 ? spam / spamDecisions : 0;
  const hr = hamDecisions > 0 ? ham / hamDecisions : 0;
  return sr + hr === 0 ? 0.5 : sr / (sr + hr);
}

/** f(w): the share shrunk towards the prior `x` with strength `a`. */
export function shrink(share: number, observations: number, x: number, a: number): number {
  return (a * x + observations * share) / (a + observations);
}

/** The chi-square survival function for an even number of degrees of freedom (series form). */
export function chi2Q(x2: number, dof: number): number {
  const m = x2 / 2;
  let term = Math.exp(-m);
  let sum = term;
  for (let i = 1; i < dof / 2; i++) {
    term *= m / i;
    sum += term;
  }
  return Math.min(sum, 1);
}

/** Fisher-Robinson (chi-square) combining of n tokens from Σ ln f and Σ ln(1 - f). */
export function combineChiSquare(sumLnF: number, sumLn1mF: number, n: number): number {
  if (n === 0) return 0.5;
  const spamminess = 1 - chi2Q(-2 * sumLn1mF, 2 * n);
  const hamminess = 1 - chi2Q(-2 * sumLnF, 2 * n);
  return (1 + spamminess - hamminess) / 2;
}

/** The naive Bayes posterior with equal priors, its log-odds divided by sqrt(n), then shifted by `shift`. */
export function combineLogOdds(sumLnF: number, sumLn1mF: number, n: number, shift = 0): number {
  if (n === 0) return 0.5;
  return 1 / (1 + Math.exp(-((sumLnF - sumLn1mF) / Math.sqrt(n) + shift)));
}

export interface SpamThresholds {
  /** Hold at or above this score. */
  hold: number;
  /** Mark spam at or above this score (null: never). */
  spam: number | null;
}

export const DEFAULT_THRESHOLDS: Readonly<SpamThresholds> = Object.freeze({ hold: 0.9, spam: null });

/** The action a score asks for under a site's thresholds. */
export function actionForScore(score: number, thresholds: SpamThresholds): 'spam' | 'hold' | null {
  if (thresholds.spam !== null && score >= thresholds.spam) return 'spam';
  return score >= thresholds.hold ? 'hold' : null;
}
