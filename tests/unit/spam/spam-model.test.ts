import { describe, expect, it } from 'vitest';
import {
  actionForScore,
  chi2Q,
  combineChiSquare,
  combineLogOdds,
  shrink,
  spamShare,
} from '../../../src/spam/spam-model.ts';
import { describeToken } from '../../../src/spam/token-labels.ts';
import { planTraining } from '../../../src/spam/training-plan.ts';

describe('spam model formulas', () => {
  it('computes the chi-square survival function', () => {
    // With 2 degrees of freedom Q(x) = exp(-x/2); with 4, exp(-x/2)(1 + x/2).
    expect(chi2Q(3, 2)).toBeCloseTo(Math.exp(-1.5), 12);
    expect(chi2Q(3, 4)).toBeCloseTo(Math.exp(-1.5) * 2.5, 12);
    expect(chi2Q(0, 10)).toBe(1);
    expect(chi2Q(2000, 300)).toBe(0);
  });

  it('combines symmetric evidence to 0.5 and one-sided evidence towards its side', () => {
    const ln = Math.log;
    for (const combine of [combineChiSquare, combineLogOdds]) {
      expect(combine(ln(0.9) + ln(0.1), ln(0.1) + ln(0.9), 2)).toBeCloseTo(0.5, 12);
      expect(combine(3 * ln(0.99), 3 * ln(0.01), 3)).toBeGreaterThan(0.99);
      expect(combine(3 * ln(0.01), 3 * ln(0.99), 3)).toBeLessThan(0.01);
      expect(combine(0, 0, 0)).toBe(0.5);
    }
  });

  it('divides the summed log-odds by the square root of the number of tokens', () => {
    const ln = Math.log;
    // Four tokens of f = 0.8: log-odds 4 ln 4, over sqrt(4): sigmoid(2 ln 4) = 16/17.
    expect(combineLogOdds(4 * ln(0.8), 4 * ln(0.2), 4)).toBeCloseTo(16 / 17, 12);
    expect(combineLogOdds(ln(0.8), ln(0.2), 1)).toBeCloseTo(0.8, 12);
  });

  it('shifts the log-odds per token by the calibration, and leaves no evidence at 0.5', () => {
    const ln = Math.log;
    // log-odds 4 ln 4 over sqrt(4) is ln 16; shifted by ln 2: sigmoid(ln 32) = 32/33.
    expect(combineLogOdds(4 * ln(0.8), 4 * ln(0.2), 4, ln(2))).toBeCloseTo(32 / 33, 12);
    expect(combineLogOdds(0, 0, 0, 2)).toBe(0.5);
  });

  it("weighs a token's share by class size and shrinks it towards the prior", () => {
    expect(spamShare(10, 100, 10, 1000)).toBeCloseTo(10 / 11, 12);
    expect(spamShare(0, 0, 0, 0)).toBe(0.5);
    expect(shrink(1, 0, 0.5, 0.45)).toBe(0.5);
    expect(shrink(1, 1, 0.5, 0.45)).toBeCloseTo(1.225 / 1.45, 12);
  });

  it('holds at the hold threshold and marks spam only when a spam threshold is set', () => {
    expect(actionForScore(0.89, { hold: 0.9, spam: null })).toBeNull();
    expect(actionForScore(0.9, { hold: 0.9, spam: null })).toBe('hold');
    expect(actionForScore(1, { hold: 0.9, spam: null })).toBe('hold');
    expect(actionForScore(0.995, { hold: 0.9, spam: 0.99 })).toBe('spam');
  });
});

describe('token descriptions', () => {
  it('reads every kind of token in plain words', () => {
    expect(describeToken('viagra', true)).toEqual({ kind: 'word', text: 'viagra' });
    expect(describeToken('u:free', true)).toEqual({ kind: 'word', text: 'FREE' });
    expect(describeToken('b:click here', true)).toEqual({ kind: 'phrase', text: 'click here' });
    expect(describeToken('g:^via', true).text).toBe('via…');
    expect(describeToken('g:agra', true).text).toBe('…agra…');
    expect(describeToken('g:gra$', true).text).toBe('…gra');
    expect(describeToken('d:example.com', true).text).toBe('link to example.com');
    expect(describeToken('t:biz', true)).toEqual({ kind: 'link', text: 'link to a .biz address' });
    expect(describeToken('f:link-ip', true).text).toBe('a link to an IP address');
    expect(describeToken('e:mail.example', false).text).toBe('email at mail.example');
    expect(describeToken('n:0123456789abcdef', false).text).toBe('name (seen in approved comments)');
    expect(describeToken('m:0123456789abcdef', true).text).toBe('email address (seen in spam)');
    expect(describeToken('f:links:3', true).text).toBe('3-5 links');
    expect(describeToken('f:caps:60', true).text).toBe('capitals: 60% or more');
    expect(describeToken('x:long:30', true).text).toBe('a word of 30+ characters');
    expect(describeToken('s:excl:3', true)).toEqual({ kind: 'feature', text: 'exclamation marks: 3+' });
    expect(describeToken('s:capslines:30', true).text).toBe('lines in capitals: 30%+');
    expect(describeToken('s:html', true).text).toBe('HTML markup in the text');
  });
});

describe('training plan', () => {
  const moderator = (to: string) => ({ to, byModerator: true });

  it("teaches a moderator's approve as ham and spam as spam", () => {
    expect(planTraining(null, moderator('approved'))).toEqual({ untrain: null, train: 'ham', lesson: 'ham' });
    expect(planTraining(null, moderator('spam'))).toEqual({ untrain: null, train: 'spam', lesson: 'spam' });
  });

  it('takes a lesson back when the decision is undone or changed', () => {
    expect(planTraining('ham', moderator('spam'))).toEqual({ untrain: 'ham', train: 'spam', lesson: 'spam' });
    expect(planTraining('spam', moderator('pending'))).toEqual({ untrain: 'spam', train: null, lesson: null });
    expect(planTraining('ham', moderator('rejected'))).toEqual({ untrain: 'ham', train: null, lesson: null });
  });

  it('plans nothing for a replayed event, a rejection of an untaught comment, or non-moderator changes', () => {
    expect(planTraining('spam', moderator('spam'))).toEqual({ untrain: null, train: null, lesson: 'spam' });
    expect(planTraining(null, moderator('rejected'))).toEqual({ untrain: null, train: null, lesson: null });
    expect(planTraining(null, { to: 'approved', byModerator: false })).toEqual({
      untrain: null,
      train: null,
      lesson: null,
    });
    expect(planTraining('ham', moderator('deleted'))).toEqual({ untrain: null, train: null, lesson: 'ham' });
  });
});
