import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findLinks, linkCountFilter } from '../../../src/filters/link-count.filter.ts';
import { repeatedCharsFilter } from '../../../src/filters/repeated-chars.filter.ts';
import { shoutingFilter } from '../../../src/filters/shouting.filter.ts';
import { trustFilter } from '../../../src/filters/trust.filter.ts';
import { filterInput } from './filter-input.ts';

describe('link count', () => {
  const run = (body: string, settings: Record<string, unknown> = {}) =>
    linkCountFilter.run(filterInput({ comment: { body }, settings }));

  it('holds a comment with two links or more by default', () => {
    expect(run('See https://a.example')).toBeNull();
    expect(run('See https://a.example and www.b.example')).toMatchObject({
      action: 'hold',
      code: 'too_many_links',
      data: { count: 2, limit: 2 },
    });
    expect(run('<a href="x">x</a> [url=http://y]y[/url]')).toMatchObject({ data: { count: 3 } });
  });

  it('counts each URL once and ignores bare domains', () => {
    expect(run('https://www.a.example/page and Amazon.com')).toBeNull();
  });

  it('finds what the plain regular expression finds, reading each character once', () => {
    // The expression the filter used to run: right, but quadratic on "<a <a <a …" with no ">".
    const reference = (text: string) =>
      text.match(/\bhttps?:\/\/[^\s<>"']+|\bwww\.[^\s<>"']+|<a\s[^>]*href|\[url[=\]]/gi) ?? [];
    const piece = fc.constantFrom(
      '<a',
      '<A',
      ' ',
      '\n',
      'href',
      'HREF',
      '="',
      '>',
      'http://',
      'x',
      '.',
      'www.',
      '[url]',
      '[url=',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (pieces) => {
        const text = pieces.join('');
        expect(findLinks(text)).toEqual(reference(text));
      }),
      { numRuns: 3000 },
    );
    expect(findLinks('<a title="x" href="https://a.example">a</a>')).toEqual([
      '<a title="x" href',
      'https://a.example',
    ]);
  });

  it('follows the site limit, and null turns it off', () => {
    expect(run('https://a.example https://b.example', { linkLimit: 3 })).toBeNull();
    expect(run('https://a.example', { linkLimit: 1 })).not.toBeNull();
    expect(run('https://a.example '.repeat(20), { linkLimit: null })).toBeNull();
  });
});

describe('shouting', () => {
  const run = (body: string, settings: Record<string, unknown> = {}) =>
    shoutingFilter.run(filterInput({ comment: { body }, settings }));

  it('holds a comment mostly in capitals once it is long enough', () => {
    expect(run('THIS GOVERNMENT IS A DISGRACE AND EVERYONE KNOWS IT')).toMatchObject({
      action: 'hold',
      code: 'shouting',
    });
    expect(run('ÇA SUFFIT MAINTENANT, ARRÊTEZ DE NOUS MENTIR TOUS LES JOURS')).not.toBeNull();
  });

  it('leaves short shouts, acronyms and ordinary text alone', () => {
    expect(run('NO WAY')).toBeNull();
    expect(run('NATO, the EU and the UN met in Brussels to discuss the plan in detail.')).toBeNull();
    expect(run('This government is a disgrace and everyone knows it')).toBeNull();
  });

  it('follows the site minimum, and null turns it off', () => {
    expect(run('STOP THIS NOW', { shoutingMinLetters: 5 })).not.toBeNull();
    expect(run('THIS GOVERNMENT IS A DISGRACE AND EVERYONE KNOWS IT', { shoutingMinLetters: null })).toBeNull();
  });
});

describe('repeated characters', () => {
  const run = (body: string, settings: Record<string, unknown> = {}) =>
    repeatedCharsFilter.run(filterInput({ comment: { body }, settings }));

  it('holds a comment with a character repeated more than 10 times in a row', () => {
    expect(run('Nooooooooooooo!')).toMatchObject({
      action: 'hold',
      code: 'repeated_characters',
      data: { char: 'o', length: 13, start: 1, end: 14 },
    });
    expect(run('wow😂😂😂😂😂😂😂😂😂😂😂')).toMatchObject({ data: { char: '😂', length: 11, start: 3, end: 25 } });
    expect(run('!!!!!!!!!!!')).not.toBeNull();
  });

  it('ignores spaces, digits and runs within the limit', () => {
    expect(run('Sooooo good!!!')).toBeNull();
    expect(run('a trillion is 1000000000000')).toBeNull();
    expect(run(`line${' '.repeat(40)}gap`)).toBeNull();
  });

  it('finds what the plain regular expression finds, reading each character once', () => {
    // The expression the filter used to run: right, but quadratic on "<a <a <a …" with no ">".
    const reference = (text: string) =>
      text.match(/\bhttps?:\/\/[^\s<>"']+|\bwww\.[^\s<>"']+|<a\s[^>]*href|\[url[=\]]/gi) ?? [];
    const piece = fc.constantFrom(
      '<a',
      '<A',
      ' ',
      '\n',
      'href',
      'HREF',
      '="',
      '>',
      'http://',
      'x',
      '.',
      'www.',
      '[url]',
      '[url=',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (pieces) => {
        const text = pieces.join('');
        expect(findLinks(text)).toEqual(reference(text));
      }),
      { numRuns: 3000 },
    );
    expect(findLinks('<a title="x" href="https://a.example">a</a>')).toEqual([
      '<a title="x" href',
      'https://a.example',
    ]);
  });

  it('follows the site limit, and null turns it off', () => {
    expect(run('aaaa', { maxRepeatedChars: 3 })).not.toBeNull();
    expect(run('a'.repeat(50), { maxRepeatedChars: null })).toBeNull();
  });
});

describe('trust', () => {
  it('holds everything in mode "all"', () => {
    expect(trustFilter.run(filterInput({ settings: { moderation: 'all' }, author: { approved: 9 } }))).toMatchObject({
      action: 'hold',
      code: 'moderation_all',
    });
  });

  it('holds until the author has an approved comment in mode "first"', () => {
    expect(trustFilter.run(filterInput({ settings: { moderation: 'first' }, author: { pending: 2 } }))).toMatchObject({
      code: 'first_comment',
    });
    expect(
      trustFilter.run(
        filterInput({ settings: { moderation: 'first' }, author: { approved: 1, approvedUnderName: 1 } }),
      ),
    ).toBeNull();
  });

  it('in mode "first" trusts only name and email together: an approved email under another name is held', () => {
    expect(
      trustFilter.run(
        filterInput({ settings: { moderation: 'first' }, author: { approved: 3, approvedUnderName: 0 } }),
      ),
    ).toMatchObject({ action: 'hold', code: 'first_comment' });
    expect(trustFilter.run(filterInput({ settings: { moderation: 'first' }, author: { approved: 3 } }))).toMatchObject({
      code: 'first_comment',
    });
  });

  it('lets comments through in mode "none"', () => {
    expect(trustFilter.run(filterInput({ settings: { moderation: 'none' } }))).toBeNull();
  });
});
