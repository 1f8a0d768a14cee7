// The evasion and innocent corpora (tests/fixtures/profanity): how much disguised profanity the
// bundled dictionary catches, and that it flags none of the innocent look-alikes.
import { describe, expect, it } from 'vitest';
import { defaultProfanityMatcher } from '../../../src/filters/profanity/profanity-matcher.ts';
import { readCorpus } from '../../support/corpus.ts';

const matcher = defaultProfanityMatcher();
const evasions = readCorpus('profanity/evasions.txt');
const innocent = readCorpus('profanity/innocent.txt');

describe('profanity corpora', () => {
  it('has at least 100 profane variants and 100 innocent look-alikes', () => {
    expect(evasions.length).toBeGreaterThanOrEqual(100);
    expect(innocent.length).toBeGreaterThanOrEqual(100);
    expect(new Set(evasions).size).toBe(evasions.length);
    expect(new Set(innocent).size).toBe(innocent.length);
  });

  it('catches at least 95% of the disguised profanity', () => {
    const missed = evasions.filter((text) => matcher.findAll(text).length === 0);
    const catchRate = 1 - missed.length / evasions.length;
    expect(catchRate, `missed: ${missed.join(' | ')}`).toBeGreaterThanOrEqual(0.95);
  });

  it('flags none of the innocent look-alikes', () => {
    const flagged = innocent.filter((text) => matcher.findAll(text).length > 0);
    expect(flagged).toEqual([]);
  });

  it('points every match at the disguised word itself: the highlighted span alone is flagged', () => {
    for (const text of evasions) {
      for (const m of matcher.findAll(text)) {
        const span = text.slice(m.start, m.end);
        expect(
          matcher.findAll(span).map((again) => again.word),
          `${text} → ${span}`,
        ).toContain(m.word);
      }
    }
  });
});
