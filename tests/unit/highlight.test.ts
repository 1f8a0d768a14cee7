import { describe, expect, it } from 'vitest';
import { highlight, spansFor } from '../../src/dashboard/highlight.ts';

const reason = (matches: unknown[]) => ({ action: 'hold', code: 'profanity', detail: '…', data: { matches } });

describe('highlighting matched words', () => {
  it('splits a field into plain and matched segments at the recorded offsets', () => {
    const text = 'What a shit show, honestly';
    const segs = highlight([reason([{ field: 'body', word: 'shit', start: 7, end: 11 }])], 'body', text);
    expect(segs).toEqual([
      { text: 'What a ', match: null },
      { text: 'shit', match: 'shit' },
      { text: ' show, honestly', match: null },
    ]);
    expect(segs.map((s) => s.text).join('')).toBe(text);
  });

  it('only uses matches of the field asked for, from every reason', () => {
    const reasons = [
      reason([{ field: 'name', word: 'ass', start: 0, end: 3 }]),
      reason([{ field: 'body', word: 'damn', start: 0, end: 4 }]),
      { code: 'first_comment' },
    ];
    expect(
      highlight(reasons, 'body', 'damn it')
        .filter((s) => s.match)
        .map((s) => s.text),
    ).toEqual(['damn']);
    expect(
      highlight(reasons, 'name', 'ass hat')
        .filter((s) => s.match)
        .map((s) => s.text),
    ).toEqual(['ass']);
    expect(highlight(reasons, 'email', 'a@b.example')).toEqual([{ text: 'a@b.example', match: null }]);
  });

  it('merges overlapping and touching matches into one mark', () => {
    const spans = spansFor(
      [
        reason([
          { field: 'body', word: 'shit', start: 2, end: 6 },
          { field: 'body', word: 'shithead', start: 2, end: 10 },
          { field: 'body', word: 'head', start: 6, end: 10 },
        ]),
      ],
      'body',
      'a shithead b',
    );
    expect(spans).toEqual([{ start: 2, end: 10, word: 'shithead, shit, head' }]);
  });

  it('counts offsets in UTF-16 code units, so text after emoji and astral characters lines up', () => {
    const text = '👍🏽 f.u.c.k 𝒜';
    const start = text.indexOf('f');
    const segs = highlight([reason([{ field: 'body', word: 'fuck', start, end: start + 7 }])], 'body', text);
    expect(segs.find((s) => s.match)?.text).toBe('f.u.c.k');
  });

  it('ignores offsets that do not fit the text, and malformed matches', () => {
    const reasons = [
      reason([
        { field: 'body', word: 'x', start: 5, end: 50 },
        { field: 'body', word: 'y', start: 3, end: 3 },
        { field: 'body', start: -1, end: 2 },
        { field: 'body', start: '1', end: 2 },
        null,
        'junk',
      ]),
      { data: { matches: 'no' } },
      null,
    ];
    expect(highlight(reasons, 'body', 'short')).toEqual([{ text: 'short', match: null }]);
  });
});
