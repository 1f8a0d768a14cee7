import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { blockedWordsFilter } from '../../../src/filters/blocked-words.filter.ts';
import { holdWordsFilter } from '../../../src/filters/hold-words.filter.ts';
import { LiteralMatcher } from '../../../src/filters/literal-matcher.ts';
import { filterInput } from './filter-input.ts';

describe('literal word matcher', () => {
  it('finds entries anywhere, ignoring case, with offsets of the original text', () => {
    const m = new LiteralMatcher(['casino', 'Viagra', 'he']);
    expect(m.findAll('Best CASINO bonus: viaGRA!')).toEqual([
      { word: 'casino', start: 5, end: 11 },
      { word: 'Viagra', start: 19, end: 25 },
    ]);
    expect(m.findAll('the theme')).toEqual([{ word: 'he', start: 1, end: 3 }]);
  });

  it('finds overlapping and nested entries in one pass', () => {
    const m = new LiteralMatcher(['she', 'he', 'hers', 'his']);
    expect(
      m
        .findAll('ushers')
        .map((x) => x.word)
        .sort(),
    ).toEqual(['he', 'hers', 'she']);
  });

  it('treats regular-expression syntax as plain text', () => {
    const m = new LiteralMatcher(['a.b', '(x)+', '.*']);
    expect(m.findAll('axb aab')).toEqual([]);
    expect(m.findAll('see (x)+ and a.b')).toEqual([
      { word: '(x)+', start: 4, end: 8 },
      { word: 'a.b', start: 13, end: 16 },
    ]);
    expect(m.findAll('anything')).toEqual([]);
  });

  it('finds exactly what a plain search finds: each entry at its first place, in text order', () => {
    // The reference: every entry's first occurrence (case-insensitive), ordered by where it ends,
    // longer entries first among those ending together, then in list order.
    const reference = (words: string[], text: string) =>
      words
        .map((word, index) => ({ word, index, at: text.toLowerCase().indexOf(word.toLowerCase()) }))
        .filter((x) => x.word !== '' && x.at >= 0)
        .map((x) => ({ ...x, end: x.at + x.word.length }))
        .sort((a, b) => a.end - b.end || b.word.length - a.word.length || a.index - b.index)
        .map(({ word, at, end }) => ({ word, start: at, end }));
    // Non-ASCII entries take another folding path: "É" and "é", and half a surrogate pair.
    const small = fc.string({ unit: fc.constantFrom('a', 'b', 'A', 'c', 'É', 'é', '\ud83d'), maxLength: 6 });
    fc.assert(
      fc.property(
        fc.array(small, { maxLength: 12 }),
        fc.string({ unit: fc.constantFrom('a', 'B', 'b', 'c', ' ', 'é', '\ud83d', '\ude00'), maxLength: 40 }),
        (words, text) => {
          expect(new LiteralMatcher(words).findAll(text, 1000)).toEqual(reference(words, text));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('finds every entry among many siblings (children looked up by binary search)', () => {
    const letters = [...'abcdefghijklmnopqrstuvwxyzéüçñ'];
    const m = new LiteralMatcher([...letters.map((c) => `q${c}`), ...letters.map((c) => `é${c}`)]);
    for (const c of letters) {
      expect(m.findAll(`-q${c}-`).map((x) => x.word)).toEqual([`q${c}`]);
      expect(m.findAll(`-É${c.toUpperCase()}-`).map((x) => x.word)).toEqual([`é${c}`]);
    }
  });

  it('handles a large list and long text quickly enough to use on every comment', () => {
    const list = Array.from({ length: 5_000 }, (_, i) => `word${i}x`);
    const m = new LiteralMatcher(list);
    const text = `${'lorem ipsum '.repeat(800)}word4321x`;
    expect(m.findAll(text)).toEqual([{ word: 'word4321x', start: text.length - 9, end: text.length }]);
  });
});

describe('blocked and hold words', () => {
  it('rejects a comment containing a blocked word in any field, recording where', () => {
    const verdict = blockedWordsFilter.run(
      filterInput({
        comment: { name: 'Casino King', body: 'Great article' },
        request: { userAgent: 'SpamBot/1.0' },
        settings: { blockedWords: ['casino', 'spambot'] },
      }),
    );
    expect(verdict).toMatchObject({ action: 'reject', code: 'blocked_word' });
    expect(verdict?.data?.matches).toEqual([
      { field: 'name', word: 'casino', start: 0, end: 6, text: 'Casino' },
      { field: 'userAgent', word: 'spambot', start: 0, end: 7, text: 'SpamBot' },
    ]);
  });

  it('matches IP prefixes and email parts the WordPress way', () => {
    const settings = { holdWords: ['198.51.100.', '@mailinator.'] };
    const byIp = holdWordsFilter.run(filterInput({ request: { ip: '198.51.100.23' }, settings }));
    expect(byIp).toMatchObject({
      action: 'hold',
      code: 'hold_word',
      data: { matches: [{ field: 'ip', word: '198.51.100.' }] },
    });
    const byEmail = holdWordsFilter.run(filterInput({ comment: { email: 'x@mailinator.com' }, settings }));
    expect(byEmail?.data?.matches).toEqual([
      { field: 'email', word: '@mailinator.', start: 1, end: 13, text: '@mailinator.' },
    ]);
  });

  it('says nothing when the lists are empty or nothing matches', () => {
    expect(blockedWordsFilter.run(filterInput())).toBeNull();
    expect(holdWordsFilter.run(filterInput({ settings: { holdWords: ['bitcoin'] } }))).toBeNull();
  });
});
